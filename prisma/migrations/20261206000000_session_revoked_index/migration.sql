-- The session cleanup's revoked sessions (issue 18): its own index, so that a batch is an index range
-- scan however few rows are dead. Partial: only revoked sessions are in it, so it stays small and the
-- planner never takes it for the "revokedAt" IS NULL of live-session queries. (Prisma's schema has no
-- partial indexes: it knows this one as @@index([revokedAt]).)
CREATE INDEX "Session_revokedAt_idx" ON "Session"("revokedAt") WHERE "revokedAt" IS NOT NULL;
