import FuzzEntries

FuzzDriver.run(.manifest)
