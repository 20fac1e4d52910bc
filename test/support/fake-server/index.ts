export { ScriptedFakeServer } from './scripted-fake-server';
export { parseJsonBody, pathOf, sendBody, sendJson, sendScriptedStatus, writeSseHead, writeThenDestroy } from './http-replies';
