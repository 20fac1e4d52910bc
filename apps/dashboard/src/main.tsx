import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, session } from './api';
import { Audit } from './pages/audit';
import { Keys } from './pages/keys';
import { Overview } from './pages/overview';
import { Budgets, ModelsPage, Providers, Settings, Usage } from './pages/operations';
import { ErrorBox } from './ui';

/** Hash routes (`#/usage`), so deep links work without the server knowing the page paths. */
const PAGES = [
  { path: '/', label: 'Overview', view: Overview },
  { path: '/usage', label: 'Usage', view: Usage },
  { path: '/audit', label: 'Audit log', view: Audit },
  { path: '/keys', label: 'Keys', view: Keys },
  { path: '/budgets', label: 'Budgets', view: Budgets },
  { path: '/models', label: 'Models & routing', view: ModelsPage },
  { path: '/providers', label: 'Providers', view: Providers },
  { path: '/settings', label: 'Settings', view: Settings },
];

const currentPath = () => location.hash.replace(/^#/, '') || '/';

function Login({ onLogin }: { onLogin: () => void }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    try {
      await api('/admin/runtime/config', { key });
      session.save(key);
      onLogin();
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  };
  return (
    <form class="login card" onSubmit={(event) => void submit(event)} aria-label="Sign in">
      <h1>Switchyard</h1>
      <label>
        Admin key <input name="key" type="password" autocomplete="off" required value={key} onInput={(event) => setKey((event.target as HTMLInputElement).value)} />
      </label>
      <p class="muted">The master key or a managed key with the admin scope. Kept in this tab only (sessionStorage).</p>
      <ErrorBox error={error} />
      <button type="submit">Sign in</button>
    </form>
  );
}

function App() {
  const [signedIn, setSignedIn] = useState(session.key() !== null);
  const [path, setPath] = useState(currentPath());
  const [menuOpen, setMenuOpen] = useState(false);
  useEffect(() => {
    const onHash = () => {
      setPath(currentPath());
      setMenuOpen(false);
    };
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  if (!signedIn) return <Login onLogin={() => setSignedIn(true)} />;
  const page = PAGES.find((candidate) => candidate.path === path);
  const View = page?.view;
  const signOut = () => {
    session.clear();
    setSignedIn(false);
  };
  return (
    <div class="layout">
      <header class="topbar">
        <button type="button" class="menu" aria-expanded={menuOpen} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <strong>Switchyard</strong>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </header>
      <nav id="nav" class={menuOpen ? 'open' : undefined} aria-label="Pages">
        {PAGES.map((candidate) => (
          <a href={`#${candidate.path}`} aria-current={candidate.path === path ? 'page' : undefined}>
            {candidate.label}
          </a>
        ))}
      </nav>
      <main>{View ? <View key={path} /> : <p class="error">No page at {path}.</p>}</main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
