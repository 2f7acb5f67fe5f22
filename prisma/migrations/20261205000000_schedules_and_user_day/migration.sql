-- AlterTable
ALTER TABLE "Habit" ADD COLUMN     "reminders" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "schedule" JSONB NOT NULL DEFAULT '{"type": "daily"}',
ADD COLUMN     "startDate" DATE;

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "dayStartHour" INTEGER NOT NULL DEFAULT 0;

