-- AlterTable
ALTER TABLE "RefreshToken" ADD COLUMN     "successorId" UUID;
