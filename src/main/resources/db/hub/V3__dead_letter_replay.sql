-- Dead letters an operator can replay: a replay is requested (command or API), then done by the running hub.
ALTER TABLE hub_dead_letter ADD COLUMN replay_requested_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE hub_dead_letter ADD COLUMN replayed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE hub_dead_letter ADD COLUMN replay_error VARCHAR(4000);
CREATE INDEX hub_dead_letter_replay ON hub_dead_letter (replay_requested_at);
