-- Statistics and /today read each check-in's day, status and value by habit and date: with them in
-- the index that is an index-only scan (a few leaf pages) instead of one heap page per check-in.
-- CreateIndex
CREATE INDEX "HabitTracking_habitId_date_status_value_idx" ON "HabitTracking"("habitId", "date", "status", "value");
