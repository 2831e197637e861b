"""Work that runs by itself: periodic jobs claimed once per day and the task queue's worker."""
