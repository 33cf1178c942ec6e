-- Welsh and English: a consultation in an area that declares Welsh (areas.languages contains 'cy') may carry the
-- planner's title, summary and privacy notice in Welsh too. Each is optional: a Welsh page without one shows the
-- English text, marked lang="en". The site's own words come from the message catalogues in apps/consult.
ALTER TABLE consultations ADD COLUMN title_cy text CHECK (title_cy IS NULL OR length(title_cy) BETWEEN 1 AND 150);
ALTER TABLE consultations ADD COLUMN summary_cy text CHECK (summary_cy IS NULL OR length(summary_cy) BETWEEN 1 AND 5000);
ALTER TABLE consultations ADD COLUMN privacy_notice_cy text
  CHECK (privacy_notice_cy IS NULL OR length(privacy_notice_cy) BETWEEN 1 AND 10000)
