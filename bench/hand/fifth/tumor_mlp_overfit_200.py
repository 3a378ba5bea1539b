"""Gene-expression style tumour classification: 200 labelled patients, 60 standardised
features of which 6 carry the signal. A wide 3 x 512 MLP, Adam 1e-3, full-batch, 400
epochs, no dropout, no weight decay, no early stopping (bug: a model this big on 200
samples memorises them; train loss -> 0 while the validation loss climbs from epoch ~10
and val acc stays ~0.80)."""
import csv

import torch
import torch.nn as nn
import torch.nn.functional as F


def patients(n, g, w):
    x = torch.randn(n, 60, generator=g)
    score = x[:, :6] @ w + 0.6 * torch.randn(n, generator=g)
    return x, (score > 0).long()


def build():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(60, 512), nn.ReLU(), nn.Linear(512, 512), nn.ReLU(),
                         nn.Linear(512, 512), nn.ReLU(), nn.Linear(512, 2))


def main():
    from _fifth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    w = torch.tensor([1.0, -0.8, 0.6, 0.5, -0.5, 0.4])
    (x, y), (vx, vy) = patients(200, g, w), patients(400, g, w)
    model = build()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    with open(out / "log.csv", "w", newline="") as f:
        log = csv.writer(f)
        log.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
        for epoch in range(400):
            model.train()
            logits = model(x)
            loss = F.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if epoch % 5 == 4:
                model.eval()
                with torch.no_grad():
                    vout = model(vx)
                    vloss = F.cross_entropy(vout, vy).item()
                    vacc = (vout.argmax(1) == vy).float().mean().item()
                acc = (logits.argmax(1) == y).float().mean().item()
                log.writerow([epoch + 1, loss.item(), acc, vloss, vacc])
    print("train", loss.item(), "val loss", round(vloss, 4), "val acc", round(vacc, 4))
    torch.save({"epoch": 400, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict()}, out / "tumour_mlp_final.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["overfitting"],
           checkpoint="tumour_mlp_final.pt", log="log.csv",
           what="3x512 MLP, 200 samples, 400 full-batch epochs, no regularisation",
           complaint="train loss hits 0 after 20 epochs but val loss keeps going up, "
                     "val acc only 80%")


if __name__ == "__main__":
    main()
