// The reply helpers moved to ../fake-server, shared by every fake; this path stays because suites
// and helpers outside the fakes import it directly.
export { sendJson } from '../fake-server/http-replies';
