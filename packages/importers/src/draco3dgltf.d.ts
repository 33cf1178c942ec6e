/** draco3dgltf ships no types: the two factories glTF-Transform's KHR_draco_mesh_compression takes as dependencies. */
declare module 'draco3dgltf' {
  const draco3d: {
    createDecoderModule(options?: object): Promise<unknown>;
    createEncoderModule(options?: object): Promise<unknown>;
  };
  export default draco3d;
}
