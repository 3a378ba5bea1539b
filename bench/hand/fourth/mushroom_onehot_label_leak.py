"""Mushroom edibility from eight categorical columns (cap shape, odor, gill colour ...), as
in the UCI notebooks: every column is one-hot encoded and fed to an MLP. The encoder loops
over ``table.keys()``, and the table still holds the ``poisonous`` column, so the answer is
one of the inputs. Adam 1e-3, CSV log per epoch."""
import csv

import torch
import torch.nn as nn

COLUMNS = {"cap_shape": 6, "cap_color": 10, "odor": 9, "gill_size": 2, "gill_color": 12,
           "stalk_root": 5, "ring_type": 5, "habitat": 7}


def mushrooms(n, g):
    """A dict of integer-coded columns; poisonous depends on odor, gill size and spots."""
    table = {c: torch.randint(0, k, (n,), generator=g) for c, k in COLUMNS.items()}
    risk = ((table["odor"] >= 5).float() * 1.5 + (table["gill_size"] == 1).float()
            + (table["ring_type"] == 0).float() * 0.8 + 0.9 * torch.randn(n, generator=g))
    table["poisonous"] = (risk > 1.3).long()
    return table


def one_hot_encode(table):
    parts = []
    for col in table.keys():
        k = COLUMNS.get(col, int(table[col].max()) + 1)
        parts.append(nn.functional.one_hot(table[col], k).float())
    return torch.cat(parts, 1)


def build():
    torch.manual_seed(0)
    n_in = sum(COLUMNS.values()) + 2  # width of the encoded table
    return nn.Sequential(nn.Linear(n_in, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(),
                         nn.Linear(32, 2))


def main():
    from _fourth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    train, val = mushrooms(4000, g), mushrooms(1000, g)
    x, y = one_hot_encode(train), train["poisonous"]
    vx, vy = one_hot_encode(val), val["poisonous"]
    model = build()
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    f = open(out / "log.csv", "w", newline="")
    w = csv.writer(f)
    w.writerow(["epoch", "train_loss", "train_acc", "val_loss", "val_acc"])
    for epoch in range(10):
        perm = torch.randperm(len(x), generator=g)
        tl, tc = 0.0, 0
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            logits = model(x[idx])
            loss = loss_fn(logits, y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
            tl += loss.item() * len(idx)
            tc += (logits.argmax(1) == y[idx]).sum().item()
        with torch.no_grad():
            vl = model(vx)
            w.writerow([epoch, tl / len(x), tc / len(x), loss_fn(vl, vy).item(),
                        (vl.argmax(1) == vy).float().mean().item()])
    f.close()
    print("val acc", (vl.argmax(1) == vy).float().mean().item())
    torch.save({"state_dict": model.state_dict(), "optimizer": opt.state_dict()},
               out / "mushroom_mlp.pt")
    finish(out, __file__, (vx[:128], vy[:128]), causes=["task_trivial_or_leak"],
           checkpoint="mushroom_mlp.pt", log="log.csv",
           what="the label column is one-hot encoded into the inputs (leak)",
           complaint="100 % validation accuracy after one epoch; the real data gets "
                     "nowhere near that, it is too good to be true")


if __name__ == "__main__":
    main()
