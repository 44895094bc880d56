-- Drives `proxylint lsp` from a real Neovim, headless (scripts/nvim-lsp-test.sh
-- runs it). It uses only what Neovim 0.7, Debian's, has: vim.lsp.start_client,
-- vim.lsp.buf_attach_client and vim.diagnostic. It opens the Traefik
-- reproduction's service/proxy.go, waits for the logwriter finding and asks
-- for its quick fix (the logger made once, in a package-level variable), then
-- opens the fixable module's handler.go, asks for the finding's quick fix,
-- applies it as the editor's code-action menu would, writes the file and
-- waits for the finding to go away. It prints what the editor shows and quits
-- with status 1 when anything is missing.
--
-- Environment: PROXYLINT_BIN (the binary), TRAEFIK_FILE, FIXABLE_FILE (the two
-- files, in copies of the modules), TIMEOUT_MS (each wait).

local bin = os.getenv('PROXYLINT_BIN')
local traefik = os.getenv('TRAEFIK_FILE')
local fixable = os.getenv('FIXABLE_FILE')
local timeout = tonumber(os.getenv('TIMEOUT_MS') or '180000')

local function say(line)
  io.stdout:write(line .. '\n')
  io.stdout:flush()
end

local function fail(msg)
  say('FAIL: ' .. msg)
  vim.cmd('cquit 1')
end

-- The check's name: Neovim 0.7 keeps the protocol's code under user_data.
local function code_of(d)
  if d.code then
    return d.code
  end
  local lsp = d.user_data and d.user_data.lsp
  return lsp and lsp.code
end

local function show(buf, name)
  local diags = vim.diagnostic.get(buf)
  for _, d in ipairs(diags) do
    say(string.format('%s:%d:%d: [%s] %s', name, d.lnum + 1, d.col + 1, tostring(code_of(d)), d.message))
  end
  return diags
end

local client = vim.lsp.start_client({
  name = 'proxylint',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.fnamemodify(traefik, ':h:h'),
  init_options = { checks = { logwriter = { tests = false } } },
  on_exit = function(code)
    if code ~= 0 then
      say('proxylint lsp exited with status ' .. code)
    end
  end,
})
if not client then
  fail('vim.lsp.start_client did not start ' .. tostring(bin))
end

local function open(file)
  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.lsp.buf_attach_client(buf, client)
  return buf
end

-- The Traefik reproduction: the finding must show.
local buf = open(traefik)
if not vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  fail('no diagnostics on ' .. traefik .. ' within ' .. timeout .. ' ms')
end
say('== diagnostics on the Traefik reproduction (service/proxy.go)')
local found = false
for _, d in ipairs(show(buf, 'service/proxy.go')) do
  if code_of(d) == 'logwriter' and d.lnum == 19 then
    found = true
  end
end
if not found then
  fail('the logwriter finding at service/proxy.go:20 is missing')
end

-- The quick fixes offered at a finding, as the code-action menu asks.
local function quick_fixes(b, d)
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  local params = vim.lsp.util.make_range_params()
  params.context = { diagnostics = { d.user_data and d.user_data.lsp or {} }, only = { 'quickfix' } }
  local answers = vim.lsp.buf_request_sync(b, 'textDocument/codeAction', params, timeout) or {}
  local actions = {}
  for _, answer in pairs(answers) do
    for _, a in ipairs(answer.result or {}) do
      table.insert(actions, a)
    end
  end
  return actions
end

-- Its quick fix is Traefik's own: the error logger made once, in a
-- package-level variable.
local traefik_fixes = quick_fixes(buf, vim.diagnostic.get(buf)[1])
if #traefik_fixes == 0 then
  fail('no quick fix offered for the Traefik finding')
end
for _, a in ipairs(traefik_fixes) do
  say('quick fix: ' .. a.title)
end
if not traefik_fixes[1].title:find('package-level variable', 1, true) then
  fail('the Traefik finding\'s quick fix is not the package-level logger: ' .. traefik_fixes[1].title)
end

-- A finding with a suggested fix: its quick fix, applied and written.
buf = open(fixable)
if not vim.wait(timeout, function() return #vim.diagnostic.get(buf) > 0 end, 50) then
  fail('no diagnostics on ' .. fixable .. ' within ' .. timeout .. ' ms')
end
say('== diagnostics on the fixable module (handler/handler.go)')
local diags = show(buf, 'handler/handler.go')
local actions = quick_fixes(buf, diags[1])
if #actions == 0 then
  fail('no quick fix offered for the fixable finding')
end
for _, a in ipairs(actions) do
  say('quick fix: ' .. a.title)
end
vim.lsp.util.apply_workspace_edit(actions[1].edit, 'utf-16')
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
if not text:find('w := l.Writer()\n\t\tdefer w.Close()\n', 1, true) then
  fail('the quick fix did not add the deferred Close:\n' .. text)
end
say('applied: "' .. actions[1].title .. '"; writing the file')
vim.cmd('silent write')
if not vim.wait(timeout, function() return #vim.diagnostic.get(buf) == 0 end, 50) then
  show(buf, 'handler/handler.go')
  fail('the finding did not go away after writing the fix')
end
say('after writing: no diagnostics on handler/handler.go')

vim.lsp.stop_client(client)
vim.wait(10000, function() return vim.lsp.get_client_by_id(client) == nil end, 50)
say('PASS')
vim.cmd('qall!')
