import FuzzEntries

FuzzDriver.run(.cloudTrailHunt)
