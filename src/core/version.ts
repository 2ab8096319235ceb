import packageJson from '../../package.json' with { type: 'json' }

/** The app's version from package.json; recorded in every run manifest. */
export const APP_VERSION: string = packageJson.version
