-- A realistic small chat completion request, posted by wrk to every target alike.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"auto","max_tokens":64,"messages":[{"role":"system","content":"You are a helpful assistant for a tabletop role-playing group."},{"role":"user","content":"Summarise in one sentence what happened when the party reached the bridge."}]}'
