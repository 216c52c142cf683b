/*
 * The design system and icons ship their own types; a shorthand `declare module` here would
 * silently turn every design-system component into `any` and hide prop mistakes.
 */
declare global {
  interface Window {
    strapi: { backendURL: string } & Record<string, unknown>;
  }
}
export {};
