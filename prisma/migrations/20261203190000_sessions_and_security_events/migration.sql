-- CreateEnum
CREATE TYPE "SecurityEventType" AS ENUM ('signup', 'login', 'login_failed', 'mfa_failed', 'refresh_reuse_detected', 'logout', 'logout_all', 'session_revoked', 'password_changed', 'password_reset_requested', 'password_reset', 'email_verified', 'email_changed', 'mfa_enabled', 'mfa_disabled');

-- AlterTable
ALTER TABLE "Session" ADD COLUMN     "aal" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "ip" TEXT;

-- CreateTable
CREATE TABLE "SecurityEvent" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "type" "SecurityEventType" NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    "sessionId" UUID,

    CONSTRAINT "SecurityEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SecurityEvent_userId_createdAt_id_idx" ON "SecurityEvent"("userId", "createdAt", "id");

-- CreateIndex
CREATE INDEX "SecurityEvent_createdAt_idx" ON "SecurityEvent"("createdAt");

-- AddForeignKey
ALTER TABLE "SecurityEvent" ADD CONSTRAINT "SecurityEvent_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

