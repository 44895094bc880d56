;;; emacs-lsp-test.el --- proxylint lsp under Emacs, in batch mode  -*- lexical-binding: t -*-

;; scripts/emacs-lsp-test.sh runs this with Debian's Emacs, go-mode and, as
;; PROXYLINT_CLIENT says, Eglot or lsp-mode, set up as docs/editors.md says
;; (for Eglot: proxylint as the Go server, its settings in
;; eglot-workspace-configuration; for lsp-mode: an add-on client with its
;; settings as initialization options). It opens the Traefik reproduction's
;; service/proxy.go and waits for the logwriter finding in Flymake; then
;; opens the fixable module's handler.go, asks for its quick fix, applies it,
;; saves, and waits for the finding to go away. It prints what Emacs shows
;; and exits 1 when anything is missing.
;;
;; Environment: PROXYLINT_CLIENT (eglot or lsp-mode), PROXYLINT_BIN,
;; TRAEFIK_FILE, FIXABLE_FILE.

(require 'package)
(package-initialize)
(require 'cl-lib)
(require 'go-mode)
(require 'flymake)

(defvar proxylint-test-client (getenv "PROXYLINT_CLIENT"))
(defvar proxylint-test-timeout 300)

(defun proxylint-test-say (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defun proxylint-test-fail (fmt &rest args)
  (proxylint-test-say "FAIL: %s" (apply #'format fmt args))
  (kill-emacs 1))

(defun proxylint-test-wait (pred what)
  (let ((deadline (+ (float-time) proxylint-test-timeout)))
    (while (and (not (funcall pred)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (unless (funcall pred)
      (proxylint-test-fail "%s within %d s" what proxylint-test-timeout))))

(defun proxylint-test-show (name)
  (dolist (d (flymake-diagnostics))
    (proxylint-test-say "%s:%d: %s" name
                        (line-number-at-pos (flymake-diagnostic-beg d))
                        (flymake-diagnostic-text d))))

(pcase proxylint-test-client
  ("eglot"
   (require 'eglot)
   (add-to-list 'eglot-server-programs
                `((go-mode go-ts-mode) . (,(getenv "PROXYLINT_BIN") "lsp")))
   (setq-default eglot-workspace-configuration
                 '(:proxylint (:checks (:logwriter (:tests :json-false)))))
   (setq eglot-sync-connect t))
  ("lsp-mode"
   (require 'lsp-mode)
   (setq lsp-auto-guess-root t lsp-enable-file-watchers nil lsp-diagnostics-provider :flymake
         lsp-session-file (make-temp-file "lsp-session") lsp-enable-snippet nil
         lsp-headerline-breadcrumb-enable nil lsp-modeline-code-actions-enable nil
         lsp-modeline-diagnostics-enable nil)
   (lsp-register-client
    (make-lsp-client
     :new-connection (lsp-stdio-connection (list (getenv "PROXYLINT_BIN") "lsp"))
     :activation-fn (lsp-activate-on "go")
     :server-id 'proxylint
     :add-on? t
     :initialization-options '(:checks (:logwriter (:tests :json-false))))))
  (_ (proxylint-test-fail "PROXYLINT_CLIENT must be eglot or lsp-mode, not %S" proxylint-test-client)))

(defun proxylint-test-open (file)
  (find-file file)
  (unless (derived-mode-p 'go-mode) (go-mode))
  (pcase proxylint-test-client
    ;; What eglot-ensure does after the command that opened the file (batch
    ;; mode runs no commands): connect, or join the project's server.
    ("eglot" (apply #'eglot (eglot--guess-contact))
     (proxylint-test-wait #'eglot-current-server (format "no Eglot server for %s" file)))
    ("lsp-mode" (lsp)
     (proxylint-test-wait (lambda () (lsp-workspaces)) (format "no lsp-mode workspace for %s" file)))))

(defun proxylint-test-quick-fix (d)
  "Apply the first quick fix offered at diagnostic D and return the titles."
  (goto-char (flymake-diagnostic-beg d))
  (pcase proxylint-test-client
    ("eglot"
     (let ((actions (eglot-code-actions (flymake-diagnostic-beg d) (flymake-diagnostic-end d) "quickfix")))
       (when actions
         (eglot--apply-workspace-edit (plist-get (car actions) :edit)))
       (mapcar (lambda (a) (plist-get a :title)) actions)))
    ("lsp-mode"
     (let ((actions (lsp-code-actions-at-point "quickfix")))
       (when actions
         (lsp-execute-code-action (car actions)))
       (mapcar (lambda (a) (lsp:code-action-title a)) actions)))))

;; The Traefik reproduction: the finding must show.
(proxylint-test-open (getenv "TRAEFIK_FILE"))
(proxylint-test-wait (lambda () (flymake-diagnostics)) "no diagnostics on service/proxy.go")
(proxylint-test-say "== %s: diagnostics on the Traefik reproduction (service/proxy.go)" proxylint-test-client)
(proxylint-test-show "service/proxy.go")
(unless (cl-some (lambda (d)
                   (and (= (line-number-at-pos (flymake-diagnostic-beg d)) 20)
                        (string-match-p "WriterLevel creates a pipe writer" (flymake-diagnostic-text d))))
                 (flymake-diagnostics))
  (proxylint-test-fail "the logwriter finding at service/proxy.go:20 is missing"))

;; A finding with a suggested fix: its quick fix, applied and saved.
(proxylint-test-open (getenv "FIXABLE_FILE"))
(proxylint-test-wait (lambda () (flymake-diagnostics)) "no diagnostics on handler/handler.go")
(proxylint-test-say "== %s: diagnostics on the fixable module (handler/handler.go)" proxylint-test-client)
(proxylint-test-show "handler/handler.go")
(let ((titles (proxylint-test-quick-fix (car (flymake-diagnostics)))))
  (unless titles
    (proxylint-test-fail "no quick fix offered for the fixable finding"))
  (dolist (title titles)
    (proxylint-test-say "quick fix: %s" title)))
(unless (save-excursion
          (goto-char (point-min))
          (search-forward "w := l.Writer()\n\t\tdefer w.Close()\n" nil t))
  (proxylint-test-fail "the quick fix did not add the deferred Close:\n%s" (buffer-string)))
(save-buffer)
(proxylint-test-wait (lambda () (null (flymake-diagnostics))) "the finding did not go away after saving the fix")
(proxylint-test-say "after saving: no diagnostics on handler/handler.go")
(proxylint-test-say "PASS (%s)" proxylint-test-client)
(kill-emacs 0)
