import { useState, type FormEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { tenantsQuery } from '../api/panel-queries';
import { useActions, useApi, useUi } from '../shell/hooks';
import { currentTenant } from '../state/ui-store';

/** The tenants this operator's token can see; picking one switches stream and panels in place. */
export function TenantSwitcher() {
  const api = useApi();
  const actions = useActions();
  const current = useUi(currentTenant);
  const query = useQuery(tenantsQuery(api));
  const tenants = query.data?.tenants ?? [];
  const wanted = useUi((s) => s.params.tenant);
  const hidden = query.isSuccess && wanted !== null && !tenants.some((t) => t.id === wanted);
  return (
    <label className="tenant-switcher">
      <span className="visually-hidden">Tenant</span>
      <select
        data-testid="tenant-switcher"
        aria-label="Tenant"
        value={current ?? ''}
        disabled={tenants.length === 0}
        onChange={(e) => actions.setTenant(e.target.value)}
      >
        {current && !tenants.some((t) => t.id === current) && (
          <option value={current}>{current}</option>
        )}
        {tenants.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name}
            {t.visibility === 'private' ? ' · private' : ''}
          </option>
        ))}
      </select>
      {query.isError && <span className="error"> tenants: {query.error.message}</span>}
      {hidden && (
        <span className="error" data-testid="tenant-hidden">
          {' '}
          tenant “{wanted}” is private or unknown: sign in with a token that grants it
        </span>
      )}
    </label>
  );
}

/** Sign in with an operator token (kept in memory for this tab only), or sign out. */
export function TokenControl() {
  const actions = useActions();
  const signedIn = useUi((s) => s.token !== null);
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  if (signedIn) {
    return (
      <button
        type="button"
        className="link"
        onClick={() => actions.setToken(null)}
        data-testid="sign-out"
      >
        sign out
      </button>
    );
  }
  if (!open) {
    return (
      <button type="button" className="link" onClick={() => setOpen(true)} data-testid="sign-in">
        token…
      </button>
    );
  }
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    actions.setToken(value.trim());
    setValue('');
    setOpen(false);
  };
  return (
    <form onSubmit={submit} className="token-form">
      <input
        type="password"
        autoComplete="off"
        placeholder="operator token"
        aria-label="Operator token"
        data-testid="token-input"
        value={value}
        onChange={(e) => setValue(e.target.value)}
        autoFocus
      />
      <button type="submit">use</button>
    </form>
  );
}
