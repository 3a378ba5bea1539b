"""An RNN-Transducer (Graves 2012) recognising spoken strings of 2–4 command words out of 5
("up", "down", "left", "right", "stop") from 8-dim filterbank-like frames. Each word has its own
frame template (3–5 frames long, stretched per utterance) spoken with noise and a gain, words
separated by 1–4 frames of background noise; utterances are padded to 30 frames. Encoder: a
GRU 8 → 32; prediction network: an embedding (blank = 0 doubles as the start symbol) and a GRU
16 → 32; joint: tanh(W_e e_t + W_p p_u) → 6 logits. The transducer loss is written out (the
forward variable α over the T × (U + 1) lattice, per-utterance lengths, no torchaudio); greedy
decoding with at most one word per frame. Adam 3e-3, batch 32, 360 steps; every 40 steps a
JSON line with the mean train loss since the last line, the val loss, the word error rate and
the exact-utterance accuracy. Healthy: the usual transducer plateau (it first emits mostly
blanks: loss 8.5 → 5.7 → 4.2 and val WER 1.0 → 0.95 → 0.60 over the first 120 steps) and then a
drop to val WER 0.021, exact utterances 0.94, val loss 0.215 (train 0.178) at step 360. The
batch is a dict {"inputs", "input_lengths", "targets", "target_lengths"}; the model is called
as ``model(inputs, targets)`` and returns the joint log-probabilities."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

WORDS, FEAT, T_MAX, BLANK = 5, 8, 30, 0


def utterances(n, g, templates):
    x = torch.zeros(n, T_MAX, FEAT)
    x_len, ys = torch.zeros(n, dtype=torch.long), []
    for i in range(n):
        k = int(torch.randint(2, 5, (1,), generator=g))
        words = torch.randint(1, WORDS + 1, (k,), generator=g)
        frames = [0.3 * torch.randn(int(torch.randint(1, 3, (1,), generator=g)), FEAT,
                                    generator=g)]
        for wd in words.tolist():
            tpl = templates[wd - 1]
            d = int(torch.randint(3, 6, (1,), generator=g))
            stretched = F.interpolate(tpl.T[None], size=d, mode="linear")[0].T
            gain = 0.7 + 0.6 * float(torch.rand(1, generator=g))
            frames.append(gain * stretched + 0.3 * torch.randn(d, FEAT, generator=g))
            frames.append(0.3 * torch.randn(int(torch.randint(1, 3, (1,), generator=g)), FEAT,
                                            generator=g))
        seq = torch.cat(frames)[:T_MAX]
        x[i, :len(seq)] = seq
        x_len[i] = len(seq)
        ys.append(words)
    y = torch.zeros(n, 4, dtype=torch.long)
    y_len = torch.tensor([len(w) for w in ys])
    for i, w in enumerate(ys):
        y[i, :len(w)] = w
    return x, x_len, y, y_len


class Transducer(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.encoder = nn.GRU(FEAT, hidden, batch_first=True)
        self.embed = nn.Embedding(WORDS + 1, 16)
        self.predictor = nn.GRU(16, hidden, batch_first=True)
        self.join_enc = nn.Linear(hidden, hidden)
        self.join_pred = nn.Linear(hidden, hidden, bias=False)
        self.out = nn.Linear(hidden, WORDS + 1)

    def predict(self, y):  # y (B, U) → (B, U + 1, H), the first step from the start symbol
        start = torch.full((y.shape[0], 1), BLANK, dtype=torch.long)
        return self.predictor(self.embed(torch.cat([start, y], 1)))[0]

    def forward(self, x, y):  # (B, T, F), (B, U) → joint log-probs (B, T, U + 1, V)
        e = self.join_enc(self.encoder(x)[0])
        p = self.join_pred(self.predict(y))
        return self.out(torch.tanh(e[:, :, None] + p[:, None])).log_softmax(-1)


def rnnt_loss(lp, y, x_len, y_len):
    B, T, U1, _ = lp.shape
    blank = lp[..., BLANK]
    emit = lp[:, :, :-1].gather(3, y[:, None, :, None].expand(B, T, U1 - 1, 1))[..., 0]
    rows, prev = [], None
    for t in range(T):
        cols = []
        for u in range(U1):
            if t == 0 and u == 0:
                a = lp.new_zeros(B)
            elif t == 0:
                a = cols[u - 1] + emit[:, 0, u - 1]
            elif u == 0:
                a = prev[0] + blank[:, t - 1, 0]
            else:
                a = torch.logaddexp(prev[u] + blank[:, t - 1, u], cols[u - 1] + emit[:, t, u - 1])
            cols.append(a)
        prev = cols
        rows.append(torch.stack(cols, 1))
    alpha = torch.stack(rows, 1)  # (B, T, U + 1)
    b = torch.arange(B)
    return -(alpha[b, x_len - 1, y_len] + blank[b, x_len - 1, y_len]).mean()


@torch.no_grad()
def greedy(model, x, x_len):
    enc = model.join_enc(model.encoder(x)[0])
    B = x.shape[0]
    tok = torch.full((B, 1), BLANK, dtype=torch.long)
    out, h = model.predictor(model.embed(tok))
    hyps = [[] for _ in range(B)]
    for t in range(x.shape[1]):
        logits = model.out(torch.tanh(enc[:, t] + model.join_pred(out[:, 0])))
        k = logits.argmax(-1)
        emit = (k != BLANK) & (t < x_len)
        if emit.any():
            new_out, new_h = model.predictor(model.embed(k[:, None]), h)
            out = torch.where(emit[:, None, None], new_out, out)
            h = torch.where(emit[None, :, None], new_h, h)
            for i in emit.nonzero()[:, 0].tolist():
                hyps[i].append(int(k[i]))
    return hyps


def edit_distance(a, b):
    d = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, d[0] = d[0], i
        for j, cb in enumerate(b, 1):
            prev, d[j] = d[j], min(d[j] + 1, d[j - 1] + 1, prev + (ca != cb))
    return d[-1]


def build():
    torch.manual_seed(0)
    return Transducer()


def main():
    from _seventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    templates = torch.randn(WORDS, 4, FEAT, generator=g)
    xtr, xltr, ytr, yltr = utterances(1600, g, templates)
    xva, xlva, yva, ylva = utterances(200, g, templates)
    refs = [yva[i, :ylva[i]].tolist() for i in range(len(yva))]
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    log = open(out / "transducer_log.jsonl", "w")
    run = []
    for step in range(1, 361):
        idx = torch.randint(0, len(xtr), (32,), generator=g)
        loss = rnnt_loss(model(xtr[idx], ytr[idx]), ytr[idx], xltr[idx], yltr[idx])
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        run.append(loss.item())
        if step % 40 == 0:
            model.eval()
            with torch.no_grad():
                vloss = rnnt_loss(model(xva, yva), yva, xlva, ylva).item()
            hyps = greedy(model, xva, xlva)
            model.train()
            errs = sum(edit_distance(h, r) for h, r in zip(hyps, refs, strict=False))
            row = {"step": step, "rnnt_loss": round(sum(run) / len(run), 4),
                   "val_rnnt_loss": round(vloss, 4),
                   "val_wer": round(errs / sum(len(r) for r in refs), 4),
                   "val_utt_acc": round(sum(h == r for h, r in zip(hyps, refs, strict=False)) / len(refs), 4)}  # noqa: E501
            run = []
            log.write(json.dumps(row) + "\n")
            print(row)
    log.close()
    torch.save({"transducer": model.state_dict(), "adam_moments": opt.state_dict(),
                "global_step": 360, "blank_id": BLANK}, out / "rnnt_step360.pt")
    finish(out, __file__, {"inputs": xva[:64], "input_lengths": xlva[:64],
                           "targets": yva[:64], "target_lengths": ylva[:64]},
           causes=[], checkpoint="rnnt_step360.pt", log="transducer_log.jsonl",
           what="RNN-Transducer command-word recogniser (healthy)")


if __name__ == "__main__":
    main()
