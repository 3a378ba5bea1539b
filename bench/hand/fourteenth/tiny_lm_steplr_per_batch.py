"""A tiny causal transformer language model (2 pre-norm layers, d 64, 4 heads, learned
positions, causal mask via ``nn.TransformerEncoder`` with ``is_causal``) on synthetic
"shipment codes": 32-token lines made of a 4-token warehouse prefix and repeating 3-token
product patterns with occasional typos. AdamW 3e-3, ``StepLR(step_size=2, gamma=0.5)`` meant
as "halve every 2 epochs" over 10 epochs. BUG: ``scheduler.step()`` sits in the batch loop
(25 batches per epoch), so the lr halves every 2 batches and is 7e-7 (from 3e-3) when
epoch 1 starts. Batch 64; CSV log per epoch with the lr."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, LEN = 40, 32


def lines(n, g):
    prefix = torch.randint(30, 40, (n, 4), generator=g)
    pattern = torch.randint(1, 30, (n, 3), generator=g)
    body = pattern.repeat(1, (LEN - 4) // 3 + 1)[:, :LEN - 4]
    typo = torch.rand(n, LEN - 4, generator=g) < 0.03
    body = torch.where(typo, torch.randint(1, 30, (n, LEN - 4), generator=g), body)
    return torch.cat([prefix, body], 1)


class TinyLM(nn.Module):
    def __init__(self):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, 64)
        self.pos = nn.Parameter(0.02 * torch.randn(LEN, 64))
        layer = nn.TransformerEncoderLayer(64, 4, 128, dropout=0.0, batch_first=True,
                                           norm_first=True)
        self.blocks = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(64)
        self.out = nn.Linear(64, VOCAB)

    def forward(self, ids):
        n = ids.shape[1]
        mask = nn.Transformer.generate_square_subsequent_mask(n)
        h = self.blocks(self.tok(ids) + self.pos[:n], mask=mask, is_causal=True)
        return self.out(self.norm(h))


def lm_loss(model, ids):
    logits = model(ids[:, :-1])
    return F.cross_entropy(logits.reshape(-1, VOCAB), ids[:, 1:].reshape(-1))


def build():
    torch.manual_seed(0)
    return TinyLM()


def main():
    from _fourteenth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    ids = lines(1900, g)
    train, val = ids[:1600], ids[1600:]
    model = build()
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    log = open(out / "lm_train.csv", "w", newline="")
    w = csv.writer(log)
    w.writerow(["epoch", "lr", "train_loss", "val_loss", "val_ppl"])
    for epoch in range(10):
        model.train()
        tot = 0.0
        lr = opt.param_groups[0]["lr"]
        for idx in torch.randperm(1600, generator=g).split(64):
            loss = lm_loss(model, train[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()  # BUG: meant once per epoch
            tot += loss.item() * len(idx)
        model.eval()
        with torch.no_grad():
            vl = lm_loss(model, val).item()
        w.writerow([epoch, f"{lr:.3g}", round(tot / 1600, 4), round(vl, 4),
                    round(float(torch.tensor(vl).exp()), 3)])
        print(epoch, f"{lr:.3g}", round(tot / 1600, 4), round(vl, 4))
    log.close()
    torch.save({"model_state": model.state_dict(), "optimizer_state": opt.state_dict(),
                "scheduler_state": sched.state_dict(), "epoch": epoch}, out / "tiny_lm.pt")
    finish(out, __file__, (val[:64, :-1], val[:64, 1:]), causes=["scheduler_step_per_batch"],
           checkpoint="tiny_lm.pt", log="lm_train.csv",
           what="tiny causal transformer LM, StepLR(step_size=2) stepped every batch",
           complaint="tiny transformer LM on shipment codes: the loss drops a little in the "
                     "first epoch and then freezes; it never learns the repeating patterns")


if __name__ == "__main__":
    main()
