-- The origins that may embed the account's signing pages in an iframe (the page's CSP
-- frame-ancestors): a JSON array of checked origins; NULL lets nobody frame them.
ALTER TABLE accounts ADD COLUMN frame_ancestors text;
