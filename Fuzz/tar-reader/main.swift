import FuzzEntries

FuzzDriver.run(.tarReader)
