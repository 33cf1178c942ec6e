-- Committee stories: an ordered list of slides (a saved camera view, time, layers, scenario and short text) that a
-- planner builds and plays full-screen in committee, and exports as a PDF report. The public reads only published
-- stories whose scenarios are all published.

CREATE TABLE stories (
  id bigserial PRIMARY KEY,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 150),
  summary text NOT NULL DEFAULT '' CHECK (length(summary) <= 5000),
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  -- The slides in playing order; the repository checks each one's shape (camera, time, layers, scenario, text).
  slides jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(slides) = 'array' AND jsonb_array_length(slides) <= 50),
  -- Every write names the version it was made on; a stale one is refused (409), so two planners never overwrite
  -- each other's slides.
  version integer NOT NULL DEFAULT 1 CHECK (version >= 1),
  created_by bigint REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz
);
CREATE INDEX stories_status_idx ON stories (status);
