import type { DatasetInfo } from '../api/types';
import { BASEMAP_CREDIT } from '../scene/CityScene';

export interface CreditsProps {
  datasets: DatasetInfo[];
  basemapShown: boolean;
}

/**
 * Attribution for everything on screen, always visible: ODbL requires "© OpenStreetMap contributors" wherever
 * the OSM-derived buildings or basemap are shown, and each dataset brings its own attribution.
 */
export function Credits({ datasets, basemapShown }: CreditsProps) {
  const lines = [
    ...(basemapShown ? [BASEMAP_CREDIT] : []),
    ...datasets.map((d) => d.attribution || `${d.title}: ${d.licence || 'licence not stated'}`),
  ];
  const unique = [...new Set(lines)];
  return (
    <section className="credits" aria-label="Data credits">
      {unique.map((line) => (
        <span key={line}>{line}</span>
      ))}
      <span>Globe imagery: Natural Earth II</span>
      <span>
        Rendered with <abbr title="CesiumJS, Apache License 2.0">CesiumJS</abbr>
      </span>
    </section>
  );
}
