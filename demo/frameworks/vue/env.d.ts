/** For tsc: a .vue file is a component (vue-tsc is not installed, so the SFC itself is checked by Vite only). */
declare module '*.vue' {
  import type { DefineComponent } from 'vue';
  const component: DefineComponent;
  export default component;
}
