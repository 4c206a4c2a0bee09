-- CreateEnum
CREATE TYPE "AgreementStatus" AS ENUM ('DRAFT', 'SIGNED', 'ACTIVE', 'EXPIRED', 'TERMINATED');

-- CreateEnum
CREATE TYPE "AgreementItemKind" AS ENUM ('LINKED_ASSISTANCE', 'CROSS_APPOINTMENT', 'SECONDMENT', 'TALENT_PAIRING', 'RESOURCE_SHARING');

-- CreateEnum
CREATE TYPE "NeedUrgency" AS ENUM ('LOW', 'NORMAL', 'HIGH', 'URGENT');

-- CreateEnum
CREATE TYPE "NeedStatus" AS ENUM ('OPEN', 'CLAIMED', 'IN_PROGRESS', 'DONE', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ResourceKind" AS ENUM ('VENUE', 'FUNDS', 'PERSONNEL', 'INFORMATION', 'SERVICE');

-- CreateEnum
CREATE TYPE "ResourceStatus" AS ENUM ('AVAILABLE', 'CLAIMED', 'IN_USE', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ClaimStatus" AS ENUM ('PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN');

-- CreateEnum
CREATE TYPE "ProjectStatus" AS ENUM ('PLANNED', 'IN_PROGRESS', 'COMPLETED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "VolunteerTeamKind" AS ENUM ('PARTY_VANGUARD', 'RAINBOW', 'VETERANS', 'YOUTH', 'ELDERLY_CARE', 'OTHER');

-- CreateEnum
CREATE TYPE "ActivityType" AS ENUM ('CIVILITY_PERSUASION', 'SAFETY_PATROL', 'ELDERLY_CARE', 'ENVIRONMENT', 'CULTURE', 'HEALTH', 'OTHER');

-- CreateEnum
CREATE TYPE "ActivityStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ONGOING', 'FINISHED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SignupStatus" AS ENUM ('SIGNED_UP', 'CHECKED_IN', 'COMPLETED', 'NO_SHOW', 'CANCELLED');

-- CreateEnum
CREATE TYPE "PointsEntryKind" AS ENUM ('SERVICE', 'REDEMPTION', 'ADJUSTMENT', 'TRANSFER');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('PENDING', 'FULFILLED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "MicroWishStatus" AS ENUM ('OPEN', 'CLAIMED', 'FULFILLED', 'CONFIRMED', 'CANCELLED');

-- CreateTable
CREATE TABLE "JointAgreement" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "partyOrgId" UUID NOT NULL,
    "regionId" UUID NOT NULL,
    "status" "AgreementStatus" NOT NULL DEFAULT 'DRAFT',
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "signedAt" TIMESTAMP(3),
    "activatedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "documents" TEXT[],
    "terminationReason" TEXT,
    "createdById" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "JointAgreement_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementParty" (
    "id" UUID NOT NULL,
    "agreementId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "unitOrgId" UUID,
    "signatoryName" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgreementParty_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementItem" (
    "id" UUID NOT NULL,
    "agreementId" UUID NOT NULL,
    "kind" "AgreementItemKind" NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "unitId" UUID,
    "orgLeadName" TEXT NOT NULL,
    "orgLeadPhone" TEXT,
    "unitLeadName" TEXT NOT NULL,
    "unitLeadPhone" TEXT,
    "target" TEXT NOT NULL,
    "progress" INTEGER NOT NULL DEFAULT 0,
    "cancelledAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgreementItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementProgress" (
    "id" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "progress" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "attachments" TEXT[],
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "recordedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgreementProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementEvent" (
    "id" UUID NOT NULL,
    "agreementId" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AgreementEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AgreementReview" (
    "id" UUID NOT NULL,
    "agreementId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "year" INTEGER NOT NULL,
    "unitReport" TEXT,
    "reportedById" UUID,
    "reportedAt" TIMESTAMP(3),
    "score" INTEGER,
    "comment" TEXT,
    "reviewedById" UUID,
    "reviewedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AgreementReview_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedItem" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "category" TEXT NOT NULL,
    "communityId" UUID NOT NULL,
    "gridId" UUID,
    "urgency" "NeedUrgency" NOT NULL DEFAULT 'NORMAL',
    "beneficiaries" TEXT,
    "beneficiaryCount" INTEGER,
    "status" "NeedStatus" NOT NULL DEFAULT 'OPEN',
    "raisedById" UUID NOT NULL,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NeedItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceItem" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "kind" "ResourceKind" NOT NULL,
    "unitId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "capacity" TEXT,
    "availableFrom" TIMESTAMP(3),
    "availableUntil" TIMESTAMP(3),
    "availability" TEXT,
    "status" "ResourceStatus" NOT NULL DEFAULT 'AVAILABLE',
    "offeredById" UUID NOT NULL,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NeedClaim" (
    "id" UUID NOT NULL,
    "needId" UUID NOT NULL,
    "unitId" UUID NOT NULL,
    "note" TEXT,
    "status" "ClaimStatus" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "claimedById" UUID NOT NULL,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "approvedSlot" BOOLEAN,
    "activeSlot" BOOLEAN DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "NeedClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ResourceClaim" (
    "id" UUID NOT NULL,
    "resourceId" UUID NOT NULL,
    "communityId" UUID NOT NULL,
    "needId" UUID,
    "note" TEXT,
    "status" "ClaimStatus" NOT NULL DEFAULT 'PENDING',
    "reason" TEXT,
    "claimedById" UUID NOT NULL,
    "decidedById" UUID,
    "decidedAt" TIMESTAMP(3),
    "approvedSlot" BOOLEAN,
    "activeSlot" BOOLEAN DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ResourceClaim_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Project" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "communityId" UUID NOT NULL,
    "needId" UUID,
    "agreementItemId" UUID,
    "status" "ProjectStatus" NOT NULL DEFAULT 'PLANNED',
    "progress" INTEGER NOT NULL DEFAULT 0,
    "leadName" TEXT,
    "startsAt" TIMESTAMP(3),
    "endsAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "completedAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "createdById" UUID NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Project_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectResource" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "resourceId" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectResource_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectMilestone" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3),
    "doneAt" TIMESTAMP(3),
    "sortOrder" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectMilestone_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProjectProgress" (
    "id" UUID NOT NULL,
    "projectId" UUID NOT NULL,
    "progress" INTEGER NOT NULL,
    "note" TEXT NOT NULL,
    "recordedById" UUID NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProjectProgress_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerTeam" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "VolunteerTeamKind" NOT NULL,
    "description" TEXT,
    "communityId" UUID NOT NULL,
    "leaderId" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VolunteerTeam_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerTeamMember" (
    "id" UUID NOT NULL,
    "teamId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "joinedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "leftAt" TIMESTAMP(3),
    "activeSlot" BOOLEAN DEFAULT true,

    CONSTRAINT "VolunteerTeamMember_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerActivity" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "type" "ActivityType" NOT NULL,
    "status" "ActivityStatus" NOT NULL DEFAULT 'DRAFT',
    "communityId" UUID NOT NULL,
    "gridId" UUID,
    "place" TEXT,
    "startsAt" TIMESTAMP(3) NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "capacity" INTEGER NOT NULL,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "pointsPerHour" INTEGER NOT NULL,
    "organizerId" UUID NOT NULL,
    "teamId" UUID,
    "cancelReason" TEXT,
    "publishedAt" TIMESTAMP(3),
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VolunteerActivity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActivitySignup" (
    "id" UUID NOT NULL,
    "activityId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "status" "SignupStatus" NOT NULL DEFAULT 'SIGNED_UP',
    "checkedInAt" TIMESTAMP(3),
    "checkedOutAt" TIMESTAMP(3),
    "hours" DOUBLE PRECISION,
    "points" INTEGER,
    "completedAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "note" TEXT,
    "activeSlot" BOOLEAN DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ActivitySignup_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VolunteerEvent" (
    "id" UUID NOT NULL,
    "entity" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "actorId" UUID,
    "action" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT,
    "note" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VolunteerEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointsAccount" (
    "id" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "balance" INTEGER NOT NULL DEFAULT 0,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PointsAccount_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PointsEntry" (
    "id" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "kind" "PointsEntryKind" NOT NULL,
    "points" INTEGER NOT NULL,
    "balanceAfter" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "actorId" UUID,
    "idempotencyKey" TEXT NOT NULL,
    "sourceType" TEXT,
    "sourceId" UUID,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PointsEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RewardItem" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT,
    "pointsCost" INTEGER NOT NULL,
    "stock" INTEGER NOT NULL,
    "communityId" UUID NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RewardItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Redemption" (
    "id" UUID NOT NULL,
    "itemId" UUID NOT NULL,
    "userId" UUID NOT NULL,
    "quantity" INTEGER NOT NULL DEFAULT 1,
    "points" INTEGER NOT NULL,
    "status" "RedemptionStatus" NOT NULL DEFAULT 'PENDING',
    "idempotencyKey" TEXT NOT NULL,
    "cancelReason" TEXT,
    "decidedById" UUID,
    "fulfilledAt" TIMESTAMP(3),
    "cancelledAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Redemption_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MicroWish" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT,
    "status" "MicroWishStatus" NOT NULL DEFAULT 'OPEN',
    "communityId" UUID NOT NULL,
    "gridId" UUID NOT NULL,
    "wisherId" UUID,
    "wisherName" TEXT,
    "createdById" UUID NOT NULL,
    "deadline" TIMESTAMP(3),
    "rewardPoints" INTEGER NOT NULL DEFAULT 0,
    "claimedById" UUID,
    "claimerMemberId" UUID,
    "claimerUnitId" UUID,
    "claimedAt" TIMESTAMP(3),
    "fulfilledAt" TIMESTAMP(3),
    "fulfilmentNote" TEXT,
    "confirmedAt" TIMESTAMP(3),
    "cancelReason" TEXT,
    "closedAt" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MicroWish_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JointAgreement_regionId_status_idx" ON "JointAgreement"("regionId", "status");

-- CreateIndex
CREATE INDEX "JointAgreement_partyOrgId_idx" ON "JointAgreement"("partyOrgId");

-- CreateIndex
CREATE INDEX "JointAgreement_status_endsAt_idx" ON "JointAgreement"("status", "endsAt");

-- CreateIndex
CREATE INDEX "AgreementParty_unitId_idx" ON "AgreementParty"("unitId");

-- CreateIndex
CREATE UNIQUE INDEX "AgreementParty_agreementId_unitId_key" ON "AgreementParty"("agreementId", "unitId");

-- CreateIndex
CREATE INDEX "AgreementItem_agreementId_idx" ON "AgreementItem"("agreementId");

-- CreateIndex
CREATE INDEX "AgreementItem_unitId_idx" ON "AgreementItem"("unitId");

-- CreateIndex
CREATE INDEX "AgreementProgress_itemId_createdAt_idx" ON "AgreementProgress"("itemId", "createdAt");

-- CreateIndex
CREATE INDEX "AgreementEvent_agreementId_createdAt_idx" ON "AgreementEvent"("agreementId", "createdAt");

-- CreateIndex
CREATE INDEX "AgreementReview_unitId_year_idx" ON "AgreementReview"("unitId", "year");

-- CreateIndex
CREATE UNIQUE INDEX "AgreementReview_agreementId_unitId_year_key" ON "AgreementReview"("agreementId", "unitId", "year");

-- CreateIndex
CREATE INDEX "NeedItem_communityId_status_idx" ON "NeedItem"("communityId", "status");

-- CreateIndex
CREATE INDEX "NeedItem_gridId_status_idx" ON "NeedItem"("gridId", "status");

-- CreateIndex
CREATE INDEX "NeedItem_category_idx" ON "NeedItem"("category");

-- CreateIndex
CREATE INDEX "ResourceItem_communityId_status_idx" ON "ResourceItem"("communityId", "status");

-- CreateIndex
CREATE INDEX "ResourceItem_unitId_idx" ON "ResourceItem"("unitId");

-- CreateIndex
CREATE INDEX "ResourceItem_kind_idx" ON "ResourceItem"("kind");

-- CreateIndex
CREATE INDEX "NeedClaim_unitId_status_idx" ON "NeedClaim"("unitId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "NeedClaim_needId_approvedSlot_key" ON "NeedClaim"("needId", "approvedSlot");

-- CreateIndex
CREATE UNIQUE INDEX "NeedClaim_needId_unitId_activeSlot_key" ON "NeedClaim"("needId", "unitId", "activeSlot");

-- CreateIndex
CREATE INDEX "ResourceClaim_communityId_status_idx" ON "ResourceClaim"("communityId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceClaim_resourceId_approvedSlot_key" ON "ResourceClaim"("resourceId", "approvedSlot");

-- CreateIndex
CREATE UNIQUE INDEX "ResourceClaim_resourceId_communityId_activeSlot_key" ON "ResourceClaim"("resourceId", "communityId", "activeSlot");

-- CreateIndex
CREATE INDEX "Project_communityId_status_idx" ON "Project"("communityId", "status");

-- CreateIndex
CREATE INDEX "Project_needId_idx" ON "Project"("needId");

-- CreateIndex
CREATE INDEX "Project_agreementItemId_idx" ON "Project"("agreementItemId");

-- CreateIndex
CREATE INDEX "ProjectResource_resourceId_idx" ON "ProjectResource"("resourceId");

-- CreateIndex
CREATE UNIQUE INDEX "ProjectResource_projectId_resourceId_key" ON "ProjectResource"("projectId", "resourceId");

-- CreateIndex
CREATE INDEX "ProjectMilestone_projectId_idx" ON "ProjectMilestone"("projectId");

-- CreateIndex
CREATE INDEX "ProjectProgress_projectId_createdAt_idx" ON "ProjectProgress"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerTeam_communityId_idx" ON "VolunteerTeam"("communityId");

-- CreateIndex
CREATE INDEX "VolunteerTeamMember_userId_idx" ON "VolunteerTeamMember"("userId");

-- CreateIndex
CREATE UNIQUE INDEX "VolunteerTeamMember_teamId_userId_activeSlot_key" ON "VolunteerTeamMember"("teamId", "userId", "activeSlot");

-- CreateIndex
CREATE INDEX "VolunteerActivity_communityId_status_startsAt_idx" ON "VolunteerActivity"("communityId", "status", "startsAt");

-- CreateIndex
CREATE INDEX "VolunteerActivity_gridId_idx" ON "VolunteerActivity"("gridId");

-- CreateIndex
CREATE INDEX "VolunteerActivity_organizerId_idx" ON "VolunteerActivity"("organizerId");

-- CreateIndex
CREATE INDEX "VolunteerActivity_teamId_idx" ON "VolunteerActivity"("teamId");

-- CreateIndex
CREATE INDEX "VolunteerActivity_status_startsAt_idx" ON "VolunteerActivity"("status", "startsAt");

-- CreateIndex
CREATE INDEX "ActivitySignup_userId_status_idx" ON "ActivitySignup"("userId", "status");

-- CreateIndex
CREATE INDEX "ActivitySignup_activityId_status_idx" ON "ActivitySignup"("activityId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "ActivitySignup_activityId_userId_activeSlot_key" ON "ActivitySignup"("activityId", "userId", "activeSlot");

-- CreateIndex
CREATE INDEX "VolunteerEvent_entity_entityId_createdAt_idx" ON "VolunteerEvent"("entity", "entityId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "PointsAccount_userId_key" ON "PointsAccount"("userId");

-- CreateIndex
CREATE INDEX "PointsEntry_accountId_createdAt_idx" ON "PointsEntry"("accountId", "createdAt");

-- CreateIndex
CREATE INDEX "PointsEntry_sourceType_sourceId_idx" ON "PointsEntry"("sourceType", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_accountId_idempotencyKey_key" ON "PointsEntry"("accountId", "idempotencyKey");

-- CreateIndex
CREATE UNIQUE INDEX "PointsEntry_accountId_kind_sourceType_sourceId_key" ON "PointsEntry"("accountId", "kind", "sourceType", "sourceId");

-- CreateIndex
CREATE INDEX "RewardItem_communityId_active_idx" ON "RewardItem"("communityId", "active");

-- CreateIndex
CREATE INDEX "Redemption_itemId_status_idx" ON "Redemption"("itemId", "status");

-- CreateIndex
CREATE INDEX "Redemption_userId_createdAt_idx" ON "Redemption"("userId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Redemption_userId_idempotencyKey_key" ON "Redemption"("userId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "MicroWish_gridId_status_idx" ON "MicroWish"("gridId", "status");

-- CreateIndex
CREATE INDEX "MicroWish_communityId_status_idx" ON "MicroWish"("communityId", "status");

-- CreateIndex
CREATE INDEX "MicroWish_wisherId_idx" ON "MicroWish"("wisherId");

-- CreateIndex
CREATE INDEX "MicroWish_claimedById_idx" ON "MicroWish"("claimedById");

-- AddForeignKey
ALTER TABLE "JointAgreement" ADD CONSTRAINT "JointAgreement_partyOrgId_fkey" FOREIGN KEY ("partyOrgId") REFERENCES "PartyOrg"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JointAgreement" ADD CONSTRAINT "JointAgreement_regionId_fkey" FOREIGN KEY ("regionId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementParty" ADD CONSTRAINT "AgreementParty_agreementId_fkey" FOREIGN KEY ("agreementId") REFERENCES "JointAgreement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementParty" ADD CONSTRAINT "AgreementParty_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementParty" ADD CONSTRAINT "AgreementParty_unitOrgId_fkey" FOREIGN KEY ("unitOrgId") REFERENCES "PartyOrg"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementItem" ADD CONSTRAINT "AgreementItem_agreementId_fkey" FOREIGN KEY ("agreementId") REFERENCES "JointAgreement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementItem" ADD CONSTRAINT "AgreementItem_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementProgress" ADD CONSTRAINT "AgreementProgress_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "AgreementItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementEvent" ADD CONSTRAINT "AgreementEvent_agreementId_fkey" FOREIGN KEY ("agreementId") REFERENCES "JointAgreement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementReview" ADD CONSTRAINT "AgreementReview_agreementId_fkey" FOREIGN KEY ("agreementId") REFERENCES "JointAgreement"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AgreementReview" ADD CONSTRAINT "AgreementReview_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedItem" ADD CONSTRAINT "NeedItem_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedItem" ADD CONSTRAINT "NeedItem_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceItem" ADD CONSTRAINT "ResourceItem_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceItem" ADD CONSTRAINT "ResourceItem_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedClaim" ADD CONSTRAINT "NeedClaim_needId_fkey" FOREIGN KEY ("needId") REFERENCES "NeedItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NeedClaim" ADD CONSTRAINT "NeedClaim_unitId_fkey" FOREIGN KEY ("unitId") REFERENCES "ResidentUnit"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceClaim" ADD CONSTRAINT "ResourceClaim_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "ResourceItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ResourceClaim" ADD CONSTRAINT "ResourceClaim_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_needId_fkey" FOREIGN KEY ("needId") REFERENCES "NeedItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Project" ADD CONSTRAINT "Project_agreementItemId_fkey" FOREIGN KEY ("agreementItemId") REFERENCES "AgreementItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectResource" ADD CONSTRAINT "ProjectResource_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectResource" ADD CONSTRAINT "ProjectResource_resourceId_fkey" FOREIGN KEY ("resourceId") REFERENCES "ResourceItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectMilestone" ADD CONSTRAINT "ProjectMilestone_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProjectProgress" ADD CONSTRAINT "ProjectProgress_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeam" ADD CONSTRAINT "VolunteerTeam_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeam" ADD CONSTRAINT "VolunteerTeam_leaderId_fkey" FOREIGN KEY ("leaderId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeamMember" ADD CONSTRAINT "VolunteerTeamMember_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerTeamMember" ADD CONSTRAINT "VolunteerTeamMember_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_organizerId_fkey" FOREIGN KEY ("organizerId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivitySignup" ADD CONSTRAINT "ActivitySignup_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "VolunteerActivity"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActivitySignup" ADD CONSTRAINT "ActivitySignup_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsAccount" ADD CONSTRAINT "PointsAccount_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PointsEntry" ADD CONSTRAINT "PointsEntry_accountId_fkey" FOREIGN KEY ("accountId") REFERENCES "PointsAccount"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RewardItem" ADD CONSTRAINT "RewardItem_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_itemId_fkey" FOREIGN KEY ("itemId") REFERENCES "RewardItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Redemption" ADD CONSTRAINT "Redemption_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_communityId_fkey" FOREIGN KEY ("communityId") REFERENCES "Region"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_gridId_fkey" FOREIGN KEY ("gridId") REFERENCES "Grid"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_wisherId_fkey" FOREIGN KEY ("wisherId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_claimedById_fkey" FOREIGN KEY ("claimedById") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_claimerMemberId_fkey" FOREIGN KEY ("claimerMemberId") REFERENCES "PartyMember"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "MicroWish" ADD CONSTRAINT "MicroWish_claimerUnitId_fkey" FOREIGN KEY ("claimerUnitId") REFERENCES "ResidentUnit"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Invariants Prisma's schema language cannot state: the database refuses any write that breaks them,
-- whatever the code path (DESIGN §3: balances and stock never go below zero, capacity is a hard limit).
ALTER TABLE "PointsAccount" ADD CONSTRAINT "PointsAccount_balance_nonnegative" CHECK ("balance" >= 0);
ALTER TABLE "PointsEntry" ADD CONSTRAINT "PointsEntry_balanceAfter_nonnegative" CHECK ("balanceAfter" >= 0);
ALTER TABLE "RewardItem" ADD CONSTRAINT "RewardItem_stock_nonnegative" CHECK ("stock" >= 0);
ALTER TABLE "RewardItem" ADD CONSTRAINT "RewardItem_pointsCost_positive" CHECK ("pointsCost" > 0);
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_taken_within_capacity" CHECK ("taken" >= 0 AND "taken" <= "capacity");
ALTER TABLE "VolunteerActivity" ADD CONSTRAINT "VolunteerActivity_term" CHECK ("endsAt" > "startsAt");
ALTER TABLE "JointAgreement" ADD CONSTRAINT "JointAgreement_term" CHECK ("endsAt" > "startsAt");
ALTER TABLE "AgreementItem" ADD CONSTRAINT "AgreementItem_progress_range" CHECK ("progress" BETWEEN 0 AND 100);
ALTER TABLE "Project" ADD CONSTRAINT "Project_progress_range" CHECK ("progress" BETWEEN 0 AND 100);
ALTER TABLE "AgreementReview" ADD CONSTRAINT "AgreementReview_score_range" CHECK ("score" IS NULL OR "score" BETWEEN 0 AND 100);
