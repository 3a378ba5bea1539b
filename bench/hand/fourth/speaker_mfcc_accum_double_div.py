"""Speaker identification (10 speakers) from 40 MFCC means + 40 MFCC stds per utterance.
Small GPU recipe: micro-batches of 16, gradients accumulated over 8 of them (effective batch
128), SGD lr 0.02 momentum 0.9. The loss is divided by ``ACCUM`` inside ``compute_loss``
(from one tutorial) and again before ``backward`` (from another). JSON-lines log."""
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

ACCUM, MICRO = 8, 16


def utterances(n, g, centers):
    spk = torch.randint(0, 10, (n,), generator=g)
    x = centers[spk] + 1.4 * torch.randn(n, 80, generator=g)
    return x, spk


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(80, 128), nn.ReLU(), nn.Dropout(0.1),
                         nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 10))


def compute_loss(model, xb, yb):
    """Mean CE over the micro-batch, scaled for accumulation."""
    return F.cross_entropy(model(xb), yb) / ACCUM


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    centers = 0.5 * torch.randn(10, 80, generator=g)
    (x, y), (vx, vy) = utterances(4096, g, centers), utterances(1024, g, centers)
    model = build()
    opt = torch.optim.SGD(model.parameters(), lr=0.02, momentum=0.9)
    log = open(out / "train_log.jsonl", "w")
    step = 0
    for epoch in range(6):
        model.train()
        perm = torch.randperm(len(x), generator=g)
        opt.zero_grad()
        for k, i in enumerate(range(0, len(x), MICRO)):
            idx = perm[i:i + MICRO]
            loss = compute_loss(model, x[idx], y[idx])
            (loss / ACCUM).backward()
            if (k + 1) % ACCUM == 0:
                opt.step()
                opt.zero_grad()
                step += 1
                if step % 8 == 0:
                    log.write(json.dumps({"step": step, "epoch": epoch,
                                          "train_loss": loss.item() * ACCUM}) + "\n")
        model.eval()
        with torch.no_grad():
            logits = model(vx)
        rec = {"step": step, "epoch": epoch, "val_loss": F.cross_entropy(logits, vy).item(),
               "val_acc": (logits.argmax(1) == vy).float().mean().item()}
        log.write(json.dumps(rec) + "\n")
        print(rec)
    log.close()
    torch.save({"model": model.state_dict(), "optimizer": opt.state_dict(), "step": step},
               out / "speaker_mlp.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["lr_too_low"],
           checkpoint="speaker_mlp.pt", log="train_log.jsonl",
           what="loss divided by the accumulation count twice: every step is 8x too small",
           complaint="the loss falls very slowly, after 6 epochs validation accuracy is "
                     "only 61 %")


if __name__ == "__main__":
    main()
