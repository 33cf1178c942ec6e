import './story.css';
import { useId, useState } from 'react';
import type { StaffSession } from '../api/scenarioApi';
import type { StoryTool } from './useStoryTool';

export interface StoryPanelProps {
  tool: StoryTool;
  session: StaffSession | null | undefined;
}

const EDITORS = new Set(['planner', 'admin']);

/**
 * Committee stories: choose or create one, add slides from the current view (camera, time, layers, scenario),
 * caption, reorder and delete them, save, publish, present full screen and export the committee report (PDF).
 */
export function StoryPanel({ tool, session }: StoryPanelProps) {
  const id = useId();
  const [newTitle, setNewTitle] = useState('');
  const { story, slides, busy } = tool;
  const canEdit = Boolean(session && EDITORS.has(session.user.role));
  const n = slides.length;

  return (
    <section className="panel-section story-panel" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Stories</h2>
      <p className="hint">Slides of saved views to present in committee, and a printable report.</p>
      <label className="row">
        Story{' '}
        <select
          className="grow"
          value={story?.id ?? ''}
          onChange={(e) => tool.open(e.target.value === '' ? null : Number(e.target.value))}
        >
          <option value="">None</option>
          {tool.stories.map((s) => (
            <option key={s.id} value={s.id}>
              {s.title} ({s.slideCount} slides{s.status === 'published' ? ', published' : ''})
            </option>
          ))}
        </select>
      </label>

      {canEdit && (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            if (newTitle.trim()) tool.create(newTitle.trim());
            setNewTitle('');
          }}
        >
          <input
            className="grow"
            aria-label="New story title"
            placeholder="New story title"
            value={newTitle}
            maxLength={150}
            onChange={(e) => setNewTitle(e.target.value)}
          />
          <button type="submit" disabled={busy || !newTitle.trim()}>
            Create
          </button>
        </form>
      )}
      {session === null && <p className="hint">Sign in (Scenarios panel) as a planner to build stories.</p>}

      {tool.message && (
        <div className={tool.message.kind === 'error' ? 'story-message error' : 'story-message'} role="alert">
          <p>{tool.message.text}</p>
          <button type="button" className="link" onClick={tool.dismissMessage}>
            Dismiss
          </button>
        </div>
      )}
      {tool.exporting && (
        <p className="hint" role="status">
          Rendering slide {Math.min(tool.exporting.done + 1, tool.exporting.total)} of {tool.exporting.total}…
        </p>
      )}

      {story && (
        <>
          <p className="hint">
            Version {story.version}, {story.status}
            {tool.dirty ? ' — unsaved changes' : ''}.
          </p>
          {canEdit && (
            <>
              <label className="stack">
                Title
                <input value={tool.title} maxLength={150} onChange={(e) => tool.setTitle(e.target.value)} />
              </label>
              <label className="stack">
                Summary
                <textarea
                  rows={3}
                  value={tool.summary}
                  maxLength={5000}
                  onChange={(e) => tool.setSummary(e.target.value)}
                />
              </label>
            </>
          )}
          <ol className="slide-list" aria-label="Slides">
            {slides.map((s, i) => (
              // Slides have no id of their own: their place in the list is who they are.
              // biome-ignore lint/suspicious/noArrayIndexKey: see above
              <li key={i} className="slide-item">
                {canEdit ? (
                  <>
                    <input
                      aria-label={`Slide ${i + 1} title`}
                      value={s.title}
                      maxLength={120}
                      onChange={(e) => tool.editSlide(i, { title: e.target.value })}
                    />
                    <textarea
                      aria-label={`Slide ${i + 1} text`}
                      rows={2}
                      value={s.text}
                      maxLength={1000}
                      onChange={(e) => tool.editSlide(i, { text: e.target.value })}
                    />
                  </>
                ) : (
                  <p>
                    <strong>{s.title}</strong> {s.text}
                  </p>
                )}
                <div className="row slide-actions">
                  <button type="button" onClick={() => tool.showSlide(i)} aria-label={`Show slide ${i + 1}`}>
                    Show
                  </button>
                  <button
                    type="button"
                    onClick={() => tool.present(i)}
                    aria-label={`Present from here, slide ${i + 1}`}
                  >
                    Present from here
                  </button>
                  {canEdit && (
                    <>
                      <button
                        type="button"
                        disabled={i === 0}
                        onClick={() => tool.moveSlide(i, i - 1)}
                        aria-label={`Move slide ${i + 1} up`}
                      >
                        ↑
                      </button>
                      <button
                        type="button"
                        disabled={i === n - 1}
                        onClick={() => tool.moveSlide(i, i + 1)}
                        aria-label={`Move slide ${i + 1} down`}
                      >
                        ↓
                      </button>
                      <button
                        type="button"
                        onClick={() => tool.deleteSlide(i)}
                        aria-label={`Delete slide ${i + 1}`}
                      >
                        Delete
                      </button>
                    </>
                  )}
                </div>
              </li>
            ))}
          </ol>
          {n === 0 && <p className="hint">No slides yet.</p>}
          <div className="row story-actions">
            {canEdit && (
              <>
                <button type="button" onClick={tool.addSlide} disabled={busy || n >= 50}>
                  Add slide from current view
                </button>
                <button type="button" onClick={tool.save} disabled={busy || !tool.dirty}>
                  Save
                </button>
              </>
            )}
            <button type="button" onClick={() => tool.present(0)} disabled={n === 0}>
              Present
            </button>
            {session && (
              <button
                type="button"
                onClick={tool.exportReport}
                disabled={busy || tool.dirty || story.slides.length === 0}
                title={tool.dirty ? 'Save first: the report is made from the saved story' : undefined}
              >
                Export PDF report
              </button>
            )}
            {canEdit && (
              <button
                type="button"
                onClick={() => tool.setPublished(story.status !== 'published')}
                disabled={busy || tool.dirty}
              >
                {story.status === 'published' ? 'Unpublish' : 'Publish'}
              </button>
            )}
          </div>
        </>
      )}
    </section>
  );
}
