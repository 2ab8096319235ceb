// One policy for both hosts: the text lives in shared, where the web host reads it too.
export { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_HEADER } from '../shared/contentSecurityPolicy.js'
