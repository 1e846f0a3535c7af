/** For tsc: Vite turns a CSS import into a <link> in the built page. */
declare module '*.css' {}
