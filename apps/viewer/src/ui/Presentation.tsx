import { useEffect, useRef } from 'react';
import type { StoryTool } from './useStoryTool';

/**
 * Presentation mode's caption: the slide's number, title and text, large enough to read on a projector at
 * 1920×1080, and buttons for those who use a mouse (the keyboard: → or Space next, ← previous, Esc leaves).
 */
export function Presentation({ tool }: { tool: StoryTool }) {
  const index = tool.presenting;
  const captionRef = useRef<HTMLElement>(null);
  // Screen readers hear each new slide; keyboard focus leaves the side panel (which is hidden).
  useEffect(() => {
    if (index !== null) captionRef.current?.focus({ preventScroll: true });
  }, [index]);
  if (index === null) return null;
  const slide = tool.slides[index];
  if (!slide) return null;
  const n = tool.slides.length;
  return (
    <>
      {tool.quality.level > 0 && (
        <p className="playback-quality" role="status">
          Reduced quality for smooth playback{' '}
          <button type="button" onClick={tool.restoreQuality}>
            Restore full quality
          </button>
        </p>
      )}
      <section
        className="presentation-caption"
        ref={captionRef}
        tabIndex={-1}
        aria-roledescription="slide"
        aria-label={`Slide ${index + 1} of ${n}`}
        aria-live="polite"
      >
        <p className="presentation-count">
          {index + 1} / {n}
          {tool.story ? ` · ${tool.story.title}` : ''}
        </p>
        <h2 className="presentation-title">{slide.title}</h2>
        {slide.text && <p className="presentation-text">{slide.text}</p>}
        <div className="presentation-controls">
          <button type="button" onClick={() => tool.goTo(index - 1)} disabled={index === 0}>
            ← Previous
          </button>
          <button type="button" onClick={() => tool.goTo(index + 1)} disabled={index === n - 1}>
            Next →
          </button>
          <button type="button" onClick={tool.stopPresenting}>
            Exit (Esc)
          </button>
        </div>
      </section>
    </>
  );
}
