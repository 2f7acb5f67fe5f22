
-- CreateEnum
CREATE TYPE "SyncItemKind" AS ENUM ('habit', 'goal', 'checkin');

-- AlterTable
ALTER TABLE "Habit" ADD COLUMN     "changeSeq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "HabitGoal" ADD COLUMN     "changeSeq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "HabitTracking" ADD COLUMN     "changeSeq" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "SyncCounter" (
    "userId" UUID NOT NULL,
    "seq" BIGINT NOT NULL DEFAULT 0,
    "floor" BIGINT NOT NULL DEFAULT 0,

    CONSTRAINT "SyncCounter_pkey" PRIMARY KEY ("userId")
);

-- CreateTable
CREATE TABLE "SyncDeletion" (
    "userId" UUID NOT NULL,
    "changeSeq" BIGINT NOT NULL,
    "kind" "SyncItemKind" NOT NULL,
    "habitId" UUID NOT NULL,
    "date" DATE,
    "deletedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SyncDeletion_pkey" PRIMARY KEY ("userId","changeSeq")
);

-- CreateIndex
CREATE INDEX "SyncDeletion_habitId_idx" ON "SyncDeletion"("habitId");

-- CreateIndex
CREATE INDEX "SyncDeletion_deletedAt_idx" ON "SyncDeletion"("deletedAt");

-- CreateIndex
CREATE INDEX "Habit_userId_changeSeq_idx" ON "Habit"("userId", "changeSeq");

-- CreateIndex
CREATE INDEX "HabitTracking_habitId_changeSeq_idx" ON "HabitTracking"("habitId", "changeSeq");

-- AddForeignKey
ALTER TABLE "SyncCounter" ADD CONSTRAINT "SyncCounter_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SyncDeletion" ADD CONSTRAINT "SyncDeletion_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The change feed of GET /sync, kept by the database itself so that no write can bypass it.
--
-- Every insert or update of a habit, goal or check-in takes the next change number of its owner
-- into "changeSeq" and raises "version", and every deletion (but a goal or check-in deleted with its
-- habit) is written to "SyncDeletion" under the next number.
--
-- Numbers come in blocks of 2^20, one block per transaction and user: the first change of a user
-- in a transaction moves the counter of the owner ("SyncCounter".seq) to the next block, the next
-- ones count up inside it (a transaction-local setting). One counter update per transaction, not
-- per row, keeps bulk writes linear.
--
-- Why a change is never skipped: moving the counter locks its row until the writing transaction
-- ends. So a second transaction writing for the same user waits for the first to commit (or roll
-- back) before it gets its block: blocks are given in commit order, per user. A reader whose snapshot
-- sees the counter at block b therefore sees every change numbered below the end of b, and a cursor
-- "everything up to n" never passes over a change that commits later. (A global sequence or a
-- timestamp would not do: two transactions can take 10 and 11 and commit as 11, then 10.)

-- The next change number of the user, or NULL when the user no longer exists (being deleted).
CREATE FUNCTION sync_next_seq(owner uuid) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  setting text := 'sync.next_' || replace(owner::text, '-', '');
  taken bigint := nullif(current_setting(setting, true), '')::bigint;
BEGIN
  IF taken IS NULL THEN
    INSERT INTO "SyncCounter" ("userId", seq)
    SELECT owner, 1048576 WHERE EXISTS (SELECT 1 FROM "User" WHERE id = owner)
    ON CONFLICT ("userId") DO UPDATE SET seq = "SyncCounter".seq + 1048576
    RETURNING seq INTO taken;
    IF taken IS NULL THEN
      RETURN NULL;
    END IF;
  ELSE
    taken := taken + 1;
    IF taken % 1048576 = 0 THEN
      RAISE EXCEPTION 'more than 1048575 changes of one user in one transaction';
    END IF;
  END IF;
  PERFORM set_config(setting, taken::text, true);
  RETURN taken;
END;
$$;

CREATE FUNCTION sync_record_deletion(owner uuid, item "SyncItemKind", habit uuid, day date) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  taken bigint := sync_next_seq(owner);
BEGIN
  -- NULL: the owner is being deleted; also when it is deleted after this transaction took its block.
  IF taken IS NULL OR NOT EXISTS (SELECT 1 FROM "User" WHERE id = owner) THEN
    RETURN;
  END IF;
  INSERT INTO "SyncDeletion" ("userId", "changeSeq", kind, "habitId", "date", "deletedAt")
  VALUES (owner, taken, item, habit, day, now() AT TIME ZONE 'UTC');
END;
$$;

CREATE FUNCTION sync_habit_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."changeSeq" := sync_next_seq(NEW."userId");
  IF TG_OP = 'UPDATE' THEN
    NEW.version := OLD.version + 1;
  ELSE
    NEW.version := 1;
    -- A habit created again under the id of a deleted one (client ids) is no longer deleted.
    DELETE FROM "SyncDeletion" WHERE "habitId" = NEW.id AND kind = 'habit';
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION sync_habit_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The habit deletion stands for its goal and check-ins (the contract lists only the habit).
  DELETE FROM "SyncDeletion" WHERE "habitId" = OLD.id;
  PERFORM sync_record_deletion(OLD."userId", 'habit', OLD.id, NULL);
  RETURN OLD;
END;
$$;

-- Goals and check-ins belong to the owner of their habit.
CREATE FUNCTION sync_habit_item_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."changeSeq" := sync_next_seq((SELECT "userId" FROM "Habit" WHERE id = NEW."habitId"));
  IF TG_OP = 'UPDATE' THEN
    NEW.version := OLD.version + 1;
  ELSE
    NEW.version := 1;
    DELETE FROM "SyncDeletion"
     WHERE "habitId" = NEW."habitId" AND kind = TG_ARGV[0]::"SyncItemKind"
       AND "date" IS NOT DISTINCT FROM (CASE WHEN TG_ARGV[0] = 'checkin' THEN (to_jsonb(NEW) ->> 'date')::date END);
  END IF;
  RETURN NEW;
END;
$$;

CREATE FUNCTION sync_habit_item_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  owner uuid := (SELECT "userId" FROM "Habit" WHERE id = OLD."habitId");
BEGIN
  -- No habit: deleted with it, which its own deletion records.
  IF owner IS NOT NULL THEN
    PERFORM sync_record_deletion(owner, TG_ARGV[0]::"SyncItemKind", OLD."habitId",
      CASE WHEN TG_ARGV[0] = 'checkin' THEN (to_jsonb(OLD) ->> 'date')::date END);
  END IF;
  RETURN OLD;
END;
$$;

-- Existing data: each item its own number, per user, in block 0 (the counter at 0, or at the block
-- holding the highest number), so that a first sync can page through it.
WITH items AS (
  SELECT 'habit' AS item, h.id, h."userId" FROM "Habit" h
  UNION ALL SELECT 'goal', g.id, h."userId" FROM "HabitGoal" g JOIN "Habit" h ON h.id = g."habitId"
  UNION ALL SELECT 'checkin', t.id, h."userId" FROM "HabitTracking" t JOIN "Habit" h ON h.id = t."habitId"
), numbered AS (
  SELECT item, id, "userId", row_number() OVER (PARTITION BY "userId" ORDER BY item, id) AS seq FROM items
), habits AS (
  UPDATE "Habit" x SET "changeSeq" = n.seq FROM numbered n WHERE n.item = 'habit' AND x.id = n.id
), goals AS (
  UPDATE "HabitGoal" x SET "changeSeq" = n.seq FROM numbered n WHERE n.item = 'goal' AND x.id = n.id
), checkins AS (
  UPDATE "HabitTracking" x SET "changeSeq" = n.seq FROM numbered n WHERE n.item = 'checkin' AND x.id = n.id
)
INSERT INTO "SyncCounter" ("userId", seq) SELECT "userId", (max(seq) / 1048576) * 1048576 FROM numbered GROUP BY "userId";

-- The triggers last: the numbering above is not a write of the items (their version stays 1).
CREATE TRIGGER sync_habit_written BEFORE INSERT OR UPDATE ON "Habit" FOR EACH ROW EXECUTE FUNCTION sync_habit_written();
CREATE TRIGGER sync_habit_deleted AFTER DELETE ON "Habit" FOR EACH ROW EXECUTE FUNCTION sync_habit_deleted();
CREATE TRIGGER sync_goal_written BEFORE INSERT OR UPDATE ON "HabitGoal" FOR EACH ROW EXECUTE FUNCTION sync_habit_item_written('goal');
CREATE TRIGGER sync_goal_deleted AFTER DELETE ON "HabitGoal" FOR EACH ROW EXECUTE FUNCTION sync_habit_item_deleted('goal');
CREATE TRIGGER sync_checkin_written BEFORE INSERT OR UPDATE ON "HabitTracking" FOR EACH ROW EXECUTE FUNCTION sync_habit_item_written('checkin');
CREATE TRIGGER sync_checkin_deleted AFTER DELETE ON "HabitTracking" FOR EACH ROW EXECUTE FUNCTION sync_habit_item_deleted('checkin');
