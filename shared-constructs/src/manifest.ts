/** The manifest contract lives with the other runtime contracts; kept here so existing importers keep working. */
export * from './contracts/manifest';
