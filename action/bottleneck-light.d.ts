// bottleneck ships types for its full build only; its light build (the one @octokit/plugin-throttling
// imports, so the bundle holds one copy) has the same API.
declare module "bottleneck/light.js" {
  import Bottleneck from "bottleneck";
  export default Bottleneck;
}
