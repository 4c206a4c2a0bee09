-- CreateEnum
CREATE TYPE "SupervisionStatus" AS ENUM ('OPEN', 'ACKNOWLEDGED', 'ANSWERED');

-- AlterTable
ALTER TABLE "Supervision" ADD COLUMN     "acknowledgedAt" TIMESTAMP(3),
ADD COLUMN     "acknowledgedById" UUID,
ADD COLUMN     "answer" TEXT,
ADD COLUMN     "answeredAt" TIMESTAMP(3),
ADD COLUMN     "answeredById" UUID,
ADD COLUMN     "promisedBy" TIMESTAMP(3),
ADD COLUMN     "status" "SupervisionStatus" NOT NULL DEFAULT 'OPEN',
ADD COLUMN     "version" INTEGER NOT NULL DEFAULT 0;

-- CreateIndex
CREATE INDEX "Supervision_orderId_idx" ON "Supervision"("orderId");

-- AddForeignKey
ALTER TABLE "Supervision" ADD CONSTRAINT "Supervision_acknowledgedById_fkey" FOREIGN KEY ("acknowledgedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Supervision" ADD CONSTRAINT "Supervision_answeredById_fkey" FOREIGN KEY ("answeredById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;
