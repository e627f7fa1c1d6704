import FuzzEntries

FuzzDriver.run(.digestValidator)
