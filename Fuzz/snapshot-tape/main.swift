import FuzzEntries

FuzzDriver.run(.snapshotTape)
