"""Plain torch: an MLP tells which of 6 singers of an Alpine yodel choir sings a phrase, from 96
voice features per recording (24 of them formant, vibrato and register-break statistics that
differ per singer, 72 room and microphone features that do not), for the choir's rehearsal
archive. 1000 labelled recordings.
MLP 96-512-512-6 (ReLU), Adam 1e-3, batch 20, 120 epochs, no dropout or weight decay.
Log: JSON lines, one per epoch (``epoch``, ``train_loss``, ``train_acc``, ``val_loss``,
``val_acc``); checkpoint ``net_state`` / ``opt_state`` / ``epoch``.
The bug: the split is meant to hold out 10 % (``cut = int(0.9 * n)``) but is written
``cut = int(0.1 * n)``: the model trains on 100 recordings (about 17 per singer) and validates
on 900, so it memorises the 100 within a few epochs and the validation loss climbs for the
rest of the run. Train loss 0.0009 and train accuracy 1.0 by epoch 11, 4e-5 at 120; val
accuracy 0.45 → 0.876 at epoch 11, 0.871 at 120; val loss 1.51 → 0.371 at 11 → 0.398 at 120.
Control (``int(0.9 * n)``: 900 train, 100 val): val accuracy 0.96–0.97, val loss 0.080 at 11 →
0.091 at 120 (the wide unregularised MLP drifts a little there too)."""
import json

import torch
import torch.nn as nn


def recordings(n, g):
    y = torch.randint(0, 6, (n,), generator=g)
    proto = torch.randn(6, 24, generator=torch.Generator().manual_seed(7))
    voice = proto[y] * 0.9 + 1.1 * torch.randn(n, 24, generator=g)
    room = torch.randn(n, 72, generator=g) * (0.5 + torch.rand(1, 72, generator=g))
    return torch.cat([voice, room], 1), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(96, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 6))


def main():
    from _twohundredthirtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    x, y = recordings(1000, g)
    cut = int(0.1 * len(x))  # hold out 10 % for validation
    xtr, ytr, xva, yva = x[:cut], y[:cut], x[cut:], y[cut:]
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    crit = nn.CrossEntropyLoss()
    log = open(out / "yodel_singers.jsonl", "w")
    for epoch in range(120):
        model.train()
        perm = torch.randperm(len(xtr))
        tl, tc = 0.0, 0
        for i in range(0, len(xtr), 20):
            idx = perm[i:i + 20]
            o = model(xtr[idx])
            loss = crit(o, ytr[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (o.argmax(1) == ytr[idx]).sum().item()
        model.eval()
        with torch.no_grad():
            lv = model(xva)
            rec = {"epoch": epoch + 1, "train_loss": round(tl / len(xtr), 5),
                   "train_acc": round(tc / len(xtr), 4), "val_loss": round(crit(lv, yva).item(), 4),
                   "val_acc": round((lv.argmax(1) == yva).float().mean().item(), 4)}
        log.write(json.dumps(rec) + "\n")
        if epoch % 10 == 0 or epoch == 119:
            print(rec)
    log.close()
    torch.save({"net_state": model.state_dict(), "opt_state": opt.state_dict(), "epoch": 120},
               out / "yodel_mlp.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["overfitting"],
           checkpoint="yodel_mlp.pt", log="yodel_singers.jsonl",
           what="yodel-choir singer-ID MLP trained on the 10 % split and validated on 90 %:"
                " memorises 100 recordings",
           complaint=("Singer ID for our yodel choir (6 singers, 1000 recordings): training accuracy hits "
                      "1.0 and train loss 0.0009 by epoch 11, but validation accuracy never gets "
                      "above 0.88 and val loss goes from 0.37 up to 0.40 by epoch 120. The voices are "
                      "really distinct, I expected well over 90 %. What's going on?"))


if __name__ == "__main__":
    main()
