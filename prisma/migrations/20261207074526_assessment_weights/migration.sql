-- CreateTable
CREATE TABLE "AssessmentWeights" (
    "id" UUID NOT NULL,
    "streetId" UUID NOT NULL,
    "signedOnTime" INTEGER NOT NULL,
    "completedOnTime" INTEGER NOT NULL,
    "satisfaction" INTEGER NOT NULL,
    "notReturned" INTEGER NOT NULL,
    "notReopened" INTEGER NOT NULL,
    "notSupervised" INTEGER NOT NULL,
    "updatedById" UUID,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssessmentWeights_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "AssessmentWeights_streetId_key" ON "AssessmentWeights"("streetId");

-- CreateIndex
CREATE INDEX "Case_gridId_createdAt_idx" ON "Case"("gridId", "createdAt");

-- CreateIndex
CREATE INDEX "DispatchOrder_createdAt_idx" ON "DispatchOrder"("createdAt");

-- AddForeignKey
ALTER TABLE "AssessmentWeights" ADD CONSTRAINT "AssessmentWeights_streetId_fkey" FOREIGN KEY ("streetId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
