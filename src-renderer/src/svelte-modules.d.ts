// .svelte imports for the TypeScript checker of the .ts modules (the Svelte compiler checks the components' markup).
declare module '*.svelte' {
  import type { Component } from 'svelte';
  const component: Component<Record<string, unknown>>;
  export default component;
}
