-- CreateEnum
CREATE TYPE "PartyOrgLevel" AS ENUM ('STREET_WORKING_COMMITTEE', 'COMMUNITY_COMMITTEE', 'GRID_BRANCH', 'BUILDING_GROUP', 'UNIT_ORG');

-- CreateEnum
CREATE TYPE "Gender" AS ENUM ('MALE', 'FEMALE');

-- CreateEnum
CREATE TYPE "DualReportKind" AS ENUM ('MEMBER', 'UNIT');

-- CreateEnum
CREATE TYPE "DualReportStatus" AS ENUM ('SUBMITTED', 'APPROVED', 'REJECTED', 'WITHDRAWN', 'TRANSFERRED');

-- CreateEnum
CREATE TYPE "ServiceRecordKind" AS ENUM ('ACTIVITY_HOURS', 'MICRO_WISH', 'CASE_HELP');

-- CreateEnum
CREATE TYPE "FeedbackRating" AS ENUM ('EXCELLENT', 'GOOD', 'FAIR', 'POOR');

-- CreateTable
CREATE TABLE "PartyOrg" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "level" "PartyOrgLevel" NOT NULL,
    "parentId" UUID,
    "path" TEXT NOT NULL,
    "regionId" UUID NOT NULL,
    "gridId" UUID,
    "buildingId" UUID,
    "unitId" UUID,
    "secretaryName" TEXT,
    "contactPhone" TEXT,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartyOrg_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PartyMember" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "gender" "Gender" NOT NULL,
    "birthYear" INTEGER,
    "joinedOn" DATE,
    "phone" TEXT,
    "idNumber" TEXT,
    "orgId" UUID,
    "workUnitId" UUID,
    "workplace" TEXT,
    "homeBuildingId" UUID,
    "homeGridId" UUID,
    "homeCommunityId" UUID,
    "skills" TEXT[],
    "userId" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PartyMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DualReport" (
    "id" UUID NOT NULL,
    "kind" "DualReportKind" NOT NULL,
    "status" "DualReportStatus" NOT NULL DEFAULT 'SUBMITTED',
    "memberId" UUID,
    "unitOrgId" UUID,
    "communityId" UUID NOT NULL,
    "gridId" UUID,
    "branchId" UUID,
    "serviceRole" TEXT,
    "reason" TEXT,
    "submittedById" UUID NOT NULL,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "transferredFromId" UUID,
    "activeSlot" BOOLEAN DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DualReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DualReportEvent" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DualReportEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceItem" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "description" TEXT,
    "forKind" "DualReportKind",
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Commitment" (
    "id" UUID NOT NULL,
    "reportId" UUID NOT NULL,
    "itemId" UUID,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "hoursPerYear" DOUBLE PRECISION,
    "year" INTEGER NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Commitment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ServiceRecord" (
    "id" UUID NOT NULL,
    "kind" "ServiceRecordKind" NOT NULL,
    "sourceId" UUID NOT NULL,
    "memberId" UUID,
    "unitOrgId" UUID,
    "commitmentId" UUID,
    "hours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "year" INTEGER NOT NULL,
    "communityId" UUID,
    "note" TEXT,
    "recordedById" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ServiceRecord_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PerformanceFeedback" (
    "id" UUID NOT NULL,
    "memberId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "communityId" UUID NOT NULL,
    "toOrgId" UUID,
    "rating" "FeedbackRating" NOT NULL,
    "comment" TEXT NOT NULL,
    "hours" DOUBLE PRECISION NOT NULL,
    "activities" INTEGER NOT NULL,
    "wishesFulfilled" INTEGER NOT NULL,
    "casesHelped" INTEGER NOT NULL,
    "commitmentsMet" INTEGER NOT NULL,
    "commitmentsTotal" INTEGER NOT NULL,
    "sentById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PerformanceFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PartyOrg_path_key" ON "PartyOrg"("path");

-- CreateIndex
CREATE INDEX "PartyOrg_parentId_idx" ON "PartyOrg"("parentId");

-- CreateIndex
CREATE INDEX "PartyOrg_regionId_level_idx" ON "PartyOrg"("regionId", "level");

-- CreateIndex
CREATE INDEX "PartyOrg_gridId_idx" ON "PartyOrg"("gridId");

-- CreateIndex
CREATE INDEX "PartyOrg_buildingId_idx" ON "PartyOrg"("buildingId");

-- CreateIndex
CREATE INDEX "PartyOrg_unitId_idx" ON "PartyOrg"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "PartyMember_idNumber_key" ON "PartyMember"("idNumber");

-- CreateIndex
CREATE UNIQUE INDEX "PartyMember_userId_key" ON "PartyMember"("userId");

-- CreateIndex
CREATE INDEX "PartyMember_orgId_idx" ON "PartyMember"("orgId");

-- CreateIndex
CREATE INDEX "PartyMember_workUnitId_idx" ON "PartyMember"("workUnitId");

-- CreateIndex
CREATE INDEX "PartyMember_homeCommunityId_idx" ON "PartyMember"("homeCommunityId");

-- CreateIndex
CREATE INDEX "PartyMember_homeGridId_idx" ON "PartyMember"("homeGridId");

-- CreateIndex
CREATE UNIQUE INDEX "DualReport_transferredFromId_key" ON "DualReport"("transferredFromId");

-- CreateIndex
CREATE INDEX "DualReport_communityId_status_idx" ON "DualReport"("communityId", "status");

-- CreateIndex
CREATE INDEX "DualReport_gridId_status_idx" ON "DualReport"("gridId", "status");

-- CreateIndex
CREATE INDEX "DualReport_createdAt_idx" ON "DualReport"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DualReport_memberId_communityId_activeSlot_key" ON "DualReport"("memberId", "communityId", "activeSlot");

-- CreateIndex
CREATE UNIQUE INDEX "DualReport_unitOrgId_communityId_activeSlot_key" ON "DualReport"("unitOrgId", "communityId", "activeSlot");

-- CreateIndex
CREATE INDEX "DualReportEvent_reportId_createdAt_idx" ON "DualReportEvent"("reportId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceItem_code_key" ON "ServiceItem"("code");

-- CreateIndex
CREATE INDEX "Commitment_reportId_idx" ON "Commitment"("reportId");

-- CreateIndex
CREATE INDEX "ServiceRecord_memberId_year_idx" ON "ServiceRecord"("memberId", "year");

-- CreateIndex
CREATE INDEX "ServiceRecord_unitOrgId_year_idx" ON "ServiceRecord"("unitOrgId", "year");

-- CreateIndex
CREATE INDEX "ServiceRecord_commitmentId_idx" ON "ServiceRecord"("commitmentId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRecord_kind_sourceId_memberId_key" ON "ServiceRecord"("kind", "sourceId", "memberId");

-- CreateIndex
CREATE UNIQUE INDEX "ServiceRecord_kind_sourceId_unitOrgId_key" ON "ServiceRecord"("kind", "sourceId", "unitOrgId");

-- CreateIndex
CREATE INDEX "PerformanceFeedback_toOrgId_year_idx" ON "PerformanceFeedback"("toOrgId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "PerformanceFeedback_memberId_year_communityId_key" ON "PerformanceFeedback"("memberId", "year", "communityId");

-- AddForeignKey
ALTER TABLE "PartyOrg" ADD CONSTRAINT "PartyOrg_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyOrg" ADD CONSTRAINT "PartyOrg_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyOrg" ADD CONSTRAINT "PartyOrg_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyOrg" ADD CONSTRAINT "PartyOrg_buildingId_fkey" FOREIGN KEY ("buildingId") REFERENCES "Building"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyOrg" ADD CONSTRAINT "PartyOrg_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_orgId_fkey" FOREIGN KEY ("orgId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_workUnitId_fkey" FOREIGN KEY ("workUnitId") REFERENCES "ResidentUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_homeBuildingId_fkey" FOREIGN KEY ("homeBuildingId") REFERENCES "Building"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_homeGridId_fkey" FOREIGN KEY ("homeGridId") REFERENCES "Grid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_homeCommunityId_fkey" FOREIGN KEY ("homeCommunityId") REFERENCES "Region"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PartyMember" ADD CONSTRAINT "PartyMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "PartyMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_unitOrgId_fkey" FOREIGN KEY ("unitOrgId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_branchId_fkey" FOREIGN KEY ("branchId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_submittedById_fkey" FOREIGN KEY ("submittedById") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReport" ADD CONSTRAINT "DualReport_transferredFromId_fkey" FOREIGN KEY ("transferredFromId") REFERENCES "DualReport"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReportEvent" ADD CONSTRAINT "DualReportEvent_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "DualReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "DualReportEvent" ADD CONSTRAINT "DualReportEvent_actorId_fkey" FOREIGN KEY ("actorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_reportId_fkey" FOREIGN KEY ("reportId") REFERENCES "DualReport"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Commitment" ADD CONSTRAINT "Commitment_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "ServiceItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRecord" ADD CONSTRAINT "ServiceRecord_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "PartyMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRecord" ADD CONSTRAINT "ServiceRecord_unitOrgId_fkey" FOREIGN KEY ("unitOrgId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRecord" ADD CONSTRAINT "ServiceRecord_commitmentId_fkey" FOREIGN KEY ("commitmentId") REFERENCES "Commitment"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ServiceRecord" ADD CONSTRAINT "ServiceRecord_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PerformanceFeedback" ADD CONSTRAINT "PerformanceFeedback_memberId_fkey" FOREIGN KEY ("memberId") REFERENCES "PartyMember"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PerformanceFeedback" ADD CONSTRAINT "PerformanceFeedback_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PerformanceFeedback" ADD CONSTRAINT "PerformanceFeedback_toOrgId_fkey" FOREIGN KEY ("toOrgId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;
