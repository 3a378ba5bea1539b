"""Plain torch: a small transformer encoder routes a building-maintenance work order to the
trade that should take it (plumbing, electrical, HVAC, lifts & escalators, janitorial) from
its free-text description, tokenised to 24 word ids (vocabulary 96: a shared pool of generic
words — "room", "floor", "please", "urgent", "since", "tenant", ... — plus trade words such as
"leak", "drain", "breaker", "outlet", "thermostat", "damper", "landing", "handrail", "spill",
"bin"). Each order has 2–4 words of its trade among generic words, and 30 % of orders also
mention one word of another trade ("leak near the breaker panel"). Embedding(96, 48) +
learned positions, 2 × TransformerEncoderLayer(48, 4 heads, ff 96, dropout 0.1), mean pool over
non-pad tokens, Linear(48→5), ``log_softmax`` + ``NLLLoss``; Adam 1e-3, batch 32, 8 epochs of
1280 orders, shuffled; JSON lines, one per 10 steps plus one per epoch with validation.
The bug: the model's ``forward`` ends in ``F.log_softmax(logits, dim=0)`` — normalising each
trade's score over the orders in the batch instead of over the five trades of one order.
In training (batches of 32) the ranking still comes out: batch accuracy 0.88–1.0, but the NLL
never goes below ~1.9 (2.36 at step 80, 1.91 at step 320). Validation calls the router one
order at a time, as the helpdesk does: over a batch of one every log-probability is exactly 0,
so argmax is always trade 0: val NLL 0.0 and val accuracy 0.2148 (the plumbing share) at all
8 epochs, every order routed to plumbing. Control (``dim=-1``): val accuracy 0.59, 0.86, 0.96,
0.98, ..., 0.988 at epoch 8, val NLL 0.053, train loss 0.01–0.02."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

V, T, PAD = 96, 24, 0
GENERIC = list(range(2, 46))
TRADE = {k: list(range(46 + 10 * k, 56 + 10 * k)) for k in range(5)}


def orders(n, g):
    y = torch.randint(0, 5, (n,), generator=g)
    x = torch.full((n, T), PAD)
    for i in range(n):
        ln = int(torch.randint(10, T + 1, (1,), generator=g))
        words = torch.tensor(GENERIC)[torch.randint(0, len(GENERIC), (ln,), generator=g)]
        k = int(torch.randint(2, 5, (1,), generator=g))
        pos = torch.randperm(ln, generator=g)
        tw = torch.tensor(TRADE[int(y[i])])
        words[pos[:k]] = tw[torch.randint(0, 10, (k,), generator=g)]
        if torch.rand(1, generator=g) < 0.3:
            other = (int(y[i]) + int(torch.randint(1, 5, (1,), generator=g))) % 5
            words[pos[k]] = TRADE[other][int(torch.randint(0, 10, (1,), generator=g))]
        x[i, :ln] = words
    x[:, 0] = 1  # [CLS]-like "WO" marker
    return x, y


class WorkOrderEncoder(nn.Module):
    def __init__(self, d=48):
        super().__init__()
        self.emb = nn.Embedding(V, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(T, d) * 0.02)
        layer = nn.TransformerEncoderLayer(d, 4, 96, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(d, 5)

    def forward(self, tokens):
        pad = tokens == PAD
        h = self.enc(self.emb(tokens) + self.pos, src_key_padding_mask=pad)
        keep = (~pad).float().unsqueeze(-1)
        logits = self.out((h * keep).sum(1) / keep.sum(1))
        return F.log_softmax(logits, dim=0)


def build():
    torch.manual_seed(0)
    return WorkOrderEncoder()


def main():
    from _hundredseventyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = orders(1280, g)
    xva, yva = orders(256, g)
    torch.manual_seed(0)
    train = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                        batch_size=32, shuffle=True)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    nll = nn.NLLLoss()
    log = open(out / "wo_router.jsonl", "w")
    step = 0
    for epoch in range(8):
        model.train()
        for xb, yb in train:
            logp = model(xb)
            loss = nll(logp, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % 10 == 0:
                acc = (logp.argmax(1) == yb).float().mean().item()
                log.write(json.dumps({"step": step, "loss": round(loss.item(), 4),
                                      "batch_acc": round(acc, 4)}) + "\n")
        model.eval()
        with torch.no_grad():
            # one order at a time, the way the helpdesk hook calls the router
            lv = torch.cat([model(xva[i:i + 1]) for i in range(256)])
        rec = {"epoch": epoch + 1, "step": step, "val_nll": round(nll(lv, yva).item(), 4),
               "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        print(rec, torch.bincount(lv.argmax(1), minlength=5).tolist())
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step,
                "epoch": 8}, out / "wo_router.pt")
    finish(out, __file__, {"inputs": xva[:64], "targets": yva[:64]},
           causes=["softmax_wrong_dim"], checkpoint="wo_router.pt", log="wo_router.jsonl",
           what="work-order trade transformer whose forward ends in log_softmax over dim=0"
                " (the batch) instead of the classes",
           complaint=("Work-order router for our facilities helpdesk (plumbing / electrical / HVAC / "
                      "lifts & escalators / janitorial). Training batches hit 0.88-1.0 accuracy, "
                      "though the training loss never gets under ~1.9. But validation accuracy is "
                      "0.2148 at every epoch and the validation loss is exactly 0.0, and every "
                      "single order comes out as plumbing. How can the val loss be zero when it "
                      "is wrong 79 % of the time?"))


if __name__ == "__main__":
    main()
