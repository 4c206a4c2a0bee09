-- VolunteerEvent: a foreign key to the row each event belongs to (issue 10), so that an event's
-- read policy can follow its parent's in a `where`. `entity`/`entityId` stay as they are.

-- AlterTable
ALTER TABLE "VolunteerEvent" ADD COLUMN     "activityId" UUID,
ADD COLUMN     "redemptionId" UUID,
ADD COLUMN     "rewardItemId" UUID,
ADD COLUMN     "signupId" UUID,
ADD COLUMN     "teamId" UUID,
ADD COLUMN     "wishId" UUID;

-- Backfill from entity/entityId (rows whose parent still exists)
UPDATE "VolunteerEvent" e SET "activityId" = e."entityId" WHERE e."entity" = 'VolunteerActivity' AND EXISTS (SELECT 1 FROM "VolunteerActivity" p WHERE p."id" = e."entityId");
UPDATE "VolunteerEvent" e SET "signupId" = e."entityId" WHERE e."entity" = 'ActivitySignup' AND EXISTS (SELECT 1 FROM "ActivitySignup" p WHERE p."id" = e."entityId");
UPDATE "VolunteerEvent" e SET "redemptionId" = e."entityId" WHERE e."entity" = 'Redemption' AND EXISTS (SELECT 1 FROM "Redemption" p WHERE p."id" = e."entityId");
UPDATE "VolunteerEvent" e SET "wishId" = e."entityId" WHERE e."entity" = 'MicroWish' AND EXISTS (SELECT 1 FROM "MicroWish" p WHERE p."id" = e."entityId");
UPDATE "VolunteerEvent" e SET "teamId" = e."entityId" WHERE e."entity" = 'VolunteerTeam' AND EXISTS (SELECT 1 FROM "VolunteerTeam" p WHERE p."id" = e."entityId");
UPDATE "VolunteerEvent" e SET "rewardItemId" = e."entityId" WHERE e."entity" = 'RewardItem' AND EXISTS (SELECT 1 FROM "RewardItem" p WHERE p."id" = e."entityId");

-- CreateIndex
CREATE INDEX "VolunteerEvent_activityId_createdAt_idx" ON "VolunteerEvent"("activityId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerEvent_signupId_createdAt_idx" ON "VolunteerEvent"("signupId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerEvent_redemptionId_createdAt_idx" ON "VolunteerEvent"("redemptionId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerEvent_wishId_createdAt_idx" ON "VolunteerEvent"("wishId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerEvent_teamId_createdAt_idx" ON "VolunteerEvent"("teamId", "createdAt");

-- CreateIndex
CREATE INDEX "VolunteerEvent_rewardItemId_createdAt_idx" ON "VolunteerEvent"("rewardItemId", "createdAt");

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_activityId_fkey" FOREIGN KEY ("activityId") REFERENCES "VolunteerActivity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_signupId_fkey" FOREIGN KEY ("signupId") REFERENCES "ActivitySignup"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_redemptionId_fkey" FOREIGN KEY ("redemptionId") REFERENCES "Redemption"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_wishId_fkey" FOREIGN KEY ("wishId") REFERENCES "MicroWish"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "VolunteerTeam"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_rewardItemId_fkey" FOREIGN KEY ("rewardItemId") REFERENCES "RewardItem"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- Every new event names its row through the link that matches its entity, and only that one
-- (rows already there are not re-checked: an event whose row is gone keeps no link).
ALTER TABLE "VolunteerEvent" ADD CONSTRAINT "VolunteerEvent_link_matches_entity" CHECK (
  ("activityId" IS NOT NULL) = ("entity" = 'VolunteerActivity')
  AND ("signupId" IS NOT NULL) = ("entity" = 'ActivitySignup')
  AND ("redemptionId" IS NOT NULL) = ("entity" = 'Redemption')
  AND ("wishId" IS NOT NULL) = ("entity" = 'MicroWish')
  AND ("teamId" IS NOT NULL) = ("entity" = 'VolunteerTeam')
  AND ("rewardItemId" IS NOT NULL) = ("entity" = 'RewardItem')
  AND ("activityId" IS NULL OR "activityId" = "entityId")
  AND ("signupId" IS NULL OR "signupId" = "entityId")
  AND ("redemptionId" IS NULL OR "redemptionId" = "entityId")
  AND ("wishId" IS NULL OR "wishId" = "entityId")
  AND ("teamId" IS NULL OR "teamId" = "entityId")
  AND ("rewardItemId" IS NULL OR "rewardItemId" = "entityId")
) NOT VALID;
