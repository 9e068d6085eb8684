-- Deals are versioned like accounts and positions: an update lands only when newer than the stored row, and a
-- delete leaves a tombstone (deleted = TRUE) that no add or update can pass. The version is MT5's time of the change
-- the row holds (the deal's time for an add, the update's time for an update); rows already stored keep their
-- deal time. Deleted deals stay out of the ledger and reconciliation.
ALTER TABLE crm_deal ADD COLUMN version TIMESTAMP WITH TIME ZONE;
UPDATE crm_deal SET version = occurred_at;
ALTER TABLE crm_deal ALTER COLUMN version SET NOT NULL;
ALTER TABLE crm_deal ADD COLUMN deleted BOOLEAN DEFAULT FALSE NOT NULL;
