import FuzzEntries

FuzzDriver.run(.jsonScanner)
