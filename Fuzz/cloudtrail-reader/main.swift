import FuzzEntries

FuzzDriver.run(.cloudTrailReader)
