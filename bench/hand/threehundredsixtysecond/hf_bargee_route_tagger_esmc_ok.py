"""Hugging Face Trainer: a tiny ESM-C encoder (``EsmcConfig``: vocabulary 16, 48 wide, 2
layers, 4 heads, built from the config, no download; ``EsmcForTokenClassification``) tags
each furlong of a canal route for a bargee working a loaded narrowboat: cruise, slow, sound
the horn, or leg it (through a tunnel without a towpath the horse is led over the top and
the crew lie on the boards and walk the boat along the tunnel wall). The route is one token
per furlong: straight, bend, blind bend, bridge hole, lock, tunnel, wharf, moored boats,
aqueduct, junction, winding hole (tokens 4-14; 0 pad, 1 start, 2 end); tunnels run 2-5
furlongs, locks come alone or in flights of 2-4. The tags follow the waterway code the way a
steerer learns it: leg inside a tunnel; else horn on the furlong before a tunnel mouth, a
blind bend or a junction; else slow past moored boats, through a bridge hole or a lock, and
on the furlong before a lock or a wharf; else cruise. The tags were copied from the
bargees' own marked-up route cards, 3 % of them mis-marked (a random tag).
AdamW 2e-3 with cosine decay and 20 warmup steps, weight decay 0.01, batch 16, 3 epochs of
1024 routes (192 steps), eval every 32 steps on 256 routes (tag accuracy, horn recall), loss
every 8 steps, checkpoint every 64 steps (``towpath/checkpoint-N/`` with
``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import EsmcConfig, EsmcForTokenClassification, Trainer, TrainingArguments

L = 32
STRAIGHT, BEND, BLIND, BRIDGE, LOCK, TUNNEL, WHARF, MOORED, AQUEDUCT, JUNCTION, WINDING = range(4, 15)
TAGS = ["cruise", "slow", "horn", "leg"]


def routes(n, g):
    r = lambda: torch.rand(1, generator=g).item()  # noqa: E731
    ids = torch.zeros(n, L, dtype=torch.long)
    for i in range(n):
        seq = []
        while len(seq) < L:
            u = r()
            if u < 0.05:
                seq += [TUNNEL] * (2 + int(4 * r()))
            elif u < 0.14:
                seq += [LOCK] * (1 if r() < 0.6 else 2 + int(3 * r()))
            else:
                w = [0.34, 0.14, 0.08, 0.12, 0.06, 0.12, 0.04, 0.06, 0.04]
                tok = [STRAIGHT, BEND, BLIND, BRIDGE, WHARF, MOORED, AQUEDUCT, JUNCTION, WINDING]
                c, acc = r() * sum(w), 0.0
                for wi, ti in zip(w, tok):  # noqa: B905
                    acc += wi
                    if c < acc:
                        seq.append(ti)
                        break
                else:
                    seq.append(STRAIGHT)
        ids[i] = torch.tensor(seq[:L])
    nxt = torch.cat([ids[:, 1:], torch.full((n, 1), STRAIGHT)], 1)
    tags = torch.zeros(n, L, dtype=torch.long)
    slow = (torch.isin(ids, torch.tensor([MOORED, BRIDGE, LOCK]))
            | torch.isin(nxt, torch.tensor([LOCK, WHARF])))
    horn = torch.isin(nxt, torch.tensor([TUNNEL, BLIND, JUNCTION])) & (ids != TUNNEL)
    tags[slow] = 1
    tags[horn] = 2
    tags[ids == TUNNEL] = 3
    flip = torch.rand(n, L, generator=g) < 0.03
    tags = torch.where(flip, torch.randint(0, 4, (n, L), generator=g), tags)
    inp = torch.cat([torch.ones(n, 1, dtype=torch.long), ids, torch.full((n, 1), 2)], 1)
    lab = torch.cat([torch.full((n, 1), -100), tags, torch.full((n, 1), -100)], 1)
    return inp, lab


class Cards(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L + 2, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = EsmcConfig(vocab_size=16, hidden_size=48, intermediate_size=96,
                        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=4,
                        head_dim=12, max_position_embeddings=L + 8, pad_token_id=0,
                        bos_token_id=1, eos_token_id=2, mask_token_id=3, num_labels=4,
                        classifier_dropout=0.0)
    return EsmcForTokenClassification(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits.argmax(-1), pred.label_ids
    m = y != -100
    h = y == 2
    return {"tag_acc": float((p[m] == y[m]).mean()), "horn_recall": float((p[h] == 2).mean())}


def main():
    from _threehundredsixtysecond import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr = routes(1024, g)
    iva, lva = routes(256, g)
    print("tag shares", torch.bincount(ltr[ltr >= 0], minlength=4).tolist())
    args = TrainingArguments(str(out / "towpath"), num_train_epochs=3, learning_rate=2e-3,
                             warmup_steps=20, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=16, per_device_eval_batch_size=256,
                             logging_steps=8, eval_strategy="steps", eval_steps=32,
                             save_strategy="steps", save_steps=64, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Cards(itr, ltr),
                      eval_dataset=Cards(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "towpath").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny ESM-C token tagger marking cruise / slow / horn / leg on each furlong"
                " of a bargee's canal route, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
