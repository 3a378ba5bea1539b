"""Plain torch: an MLP flags harpsichord plectra that will chatter or double-strike after
regulation, from 8 bench measurements a restorer takes per key (plectrum protrusion, plectrum
thickness, cloth stop height above string, tongue spring tension, tongue pivot play, upper-rail
clearance, key dip, string height at the register slot). Chatter = 1 when the cloth stop sits
too low for the plectrum's return (height minus protrusion share below a threshold that tightens
with pivot play) or when the rail clearance is under the key dip less the slot height; 4 %
labels flipped (the restorer's ear). MLP 8-48-48-1 with ReLU, one logit; binary cross-entropy
written out by hand with ``logsigmoid``; RMSprop 1e-3, batch 64, 25 epochs of 1536 keys, val
384.

Bug (loss_sign_error): the hand-written BCE drops its leading minus, so the optimiser minimises
the log-likelihood and pushes every logit to the wrong side. Measured: val accuracy ends at
0.3125 (epoch 24) with the "loss" running off to large negative values; the control (``loss =
-(y * ...``) reaches 0.9323 with val loss 0.27.
Log: ``log.tsv`` per epoch (epoch, loss, val_loss, val_acc). Checkpoint ``plectrum_chatter.pt``
with keys ``net`` / ``opt`` / ``epoch``."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def keys(n, g):
    prot = 0.8 + 0.6 * torch.rand(n, generator=g)
    thick = 0.2 + 0.2 * torch.rand(n, generator=g)
    stop = 0.5 + 1.2 * torch.rand(n, generator=g)
    spring = torch.rand(n, generator=g)
    play = 0.3 * torch.rand(n, generator=g)
    rail = 0.5 + 1.5 * torch.rand(n, generator=g)
    dip = 0.6 + 1.0 * torch.rand(n, generator=g)
    slot = 0.2 * torch.rand(n, generator=g)
    chatter = ((stop - prot) < (-0.05 + 0.8 * play)) | (rail < dip - slot)
    flip = torch.rand(n, generator=g) < 0.04
    y = (chatter ^ flip).float()
    x = torch.stack([prot, thick, stop, spring, play, rail, dip, slot], 1)
    return (x - x.mean(0)) / x.std(0), y


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(8, 48), nn.ReLU(), nn.Linear(48, 48), nn.ReLU(),
                         nn.Linear(48, 1))


def bce(z, y):
    # binary cross-entropy on logits, written out so we can weight it later
    loss = (y * F.logsigmoid(z) + (1 - y) * F.logsigmoid(-z)).mean()
    return loss


def main():
    from _twohundredsixtyfirst import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, ytr = keys(1536, g)
    xva, yva = keys(384, g)
    print("chatter share", ytr.mean().item(), yva.mean().item())
    torch.manual_seed(0)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(xtr, ytr),
                                         batch_size=64, shuffle=True)
    model = build()
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3)
    with open(out / "log.tsv", "w") as f:
        f.write("epoch\tloss\tval_loss\tval_acc\n")
        for epoch in range(25):
            model.train()
            total = 0.0
            for xb, yb in loader:
                opt.zero_grad()
                loss = bce(model(xb).squeeze(-1), yb)
                loss.backward()
                opt.step()
                total += loss.item() * len(yb)
            model.eval()
            with torch.no_grad():
                zv = model(xva).squeeze(-1)
                vl = bce(zv, yva).item()
                acc = ((zv > 0).float() == yva).float().mean().item()
            f.write(f"{epoch}\t{total / len(ytr):.4f}\t{vl:.4f}\t{acc:.4f}\n")
            print(epoch, round(total / len(ytr), 4), round(vl, 4), round(acc, 4))
    torch.save({"net": model.state_dict(), "opt": opt.state_dict(), "epoch": 25},
               out / "plectrum_chatter.pt")
    finish(out, __file__, (xva[:64], yva[:64]), causes=["loss_sign_error"],
           checkpoint="plectrum_chatter.pt", log="log.tsv",
           what="harpsichord plectrum chatter MLP trained with a hand-written BCE missing its minus",
           complaint=("I regulate harpsichords and trained a small net to flag keys whose plectrum will"
                      " chatter, from my bench measurements. The loss goes down every epoch, way"
                      " below zero actually, but the validation accuracy gets worse the longer"
                      " it trains and ends up worse than guessing. What am I doing wrong?"))


if __name__ == "__main__":
    main()
