// Types for the dev-only second PBF parser the tests cross-check ours against (it ships none).
declare module 'tiny-osmpbf' {
  export interface TinyOsmElement {
    type: 'node' | 'way' | 'relation';
    id: number;
    lat?: number;
    lon?: number;
    nodes?: number[];
    members?: { type: 'node' | 'way' | 'relation'; ref: number; role: string }[];
    tags?: Record<string, string>;
  }
  function tinyosmpbf(
    data: Uint8Array,
    handler?: (element: TinyOsmElement) => void,
  ): { elements?: TinyOsmElement[] };
  export default tinyosmpbf;
}
