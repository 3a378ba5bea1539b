"""Hugging Face Trainer: a tiny Seed-OSS decoder (``SeedOssConfig``: vocabulary 11, 48 wide,
2 layers, 4 query / 2 key-value heads, built from the config, no download;
``SeedOssForTokenClassification``) tags a quartermaster's wheelhouse log step by step: one
token per 30 s watch step, the helm order given in it (hard a-port, port twenty, port ten,
midships, starboard ten, starboard twenty, hard a-starboard, steady / meet her, or no order;
0 pad, 1 start), and for each step the ship's swing as the deck log records it: steady,
swinging to port, swinging to starboard. The rule is the ship-handling one: the rudder stays
where it was last ordered and the ship swings to that side; after "midships" she carries her
swing on (2 steps after a ten / twenty order, 3 after a hard-over) and then steadies; "steady"
/ "meet her" stops the swing at once. A causal decoder sees only the orders so far, which is
all the rule needs. 32 steps per log, a new order in about a quarter of the steps.
AdamW 2e-3 with cosine decay and 15 warmup steps, weight decay 0.01, batch 24, 5 epochs of
1200 logs, eval each epoch (50 steps) on 300 logs (per-step accuracy and accuracy on the
steps where she carries her swing after midships), loss every 10 steps, checkpoint each
epoch (``helmlog/checkpoint-N/`` with ``trainer_state.json``, 2 kept).
Healthy; numbers in the README."""
import torch
from transformers import SeedOssConfig, SeedOssForTokenClassification, Trainer, TrainingArguments

T = 32
# order tokens: 2 hard a-port .. 8 hard a-starboard, 9 steady / meet her, 10 no order
SIDE = {2: 1, 3: 1, 4: 1, 6: 2, 7: 2, 8: 2}
CARRY = {2: 3, 3: 2, 4: 2, 6: 2, 7: 2, 8: 3}


def logs(n, g):
    r = lambda *s: torch.rand(*s, generator=g)  # noqa: E731
    orders = torch.full((n, T), 10, dtype=torch.long)
    new = r(n, T) < 0.25
    pick = torch.multinomial(torch.tensor([1, 2, 2, 3, 2, 2, 1, 2.0]), n * T, True,
                             generator=g).view(n, T) + 2
    orders = torch.where(new, pick, orders)
    swing = torch.zeros(n, T, dtype=torch.long)
    coast = torch.zeros(n, T, dtype=torch.bool)
    for i in range(n):
        side, last, carry = 0, None, 0
        for t in range(T):
            o = int(orders[i, t])
            if o in SIDE:
                side, last, carry = SIDE[o], o, 0
            elif o == 5:
                carry = CARRY[last] if side and last in CARRY else 0
                side = side if carry else 0
            elif o == 9:
                side, carry = 0, 0
            elif side and carry:
                carry -= 1
                coast[i, t] = True
                if carry == 0:
                    side = 0
            swing[i, t] = side
    ids = torch.cat([torch.ones(n, 1, dtype=torch.long), orders], 1)
    labels = torch.cat([torch.full((n, 1), -100), swing], 1)
    coast = torch.cat([torch.zeros(n, 1, dtype=torch.bool), coast], 1)
    return ids, labels, coast


class HelmLogs(torch.utils.data.Dataset):
    def __init__(self, ids, labels):
        self.ids, self.labels = ids, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(T + 1, dtype=torch.long),
                "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = SeedOssConfig(vocab_size=11, hidden_size=48, num_hidden_layers=2,
                           num_attention_heads=4, num_key_value_heads=2, head_dim=12,
                           intermediate_size=96, max_position_embeddings=T + 8, num_labels=3,
                           pad_token_id=0, bos_token_id=1, eos_token_id=None)
    return SeedOssForTokenClassification(config)


def main():
    from _threehundredfortyninth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr, ltr, _ = logs(1200, g)
    iva, lva, cva = logs(300, g)
    coast_idx = cva.view(-1).nonzero().squeeze(1)
    print("swing shares", torch.bincount(ltr[ltr >= 0]).tolist(), "coasting", len(coast_idx))

    def metrics(pred):
        logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
        p, y = logits.argmax(-1), pred.label_ids
        m = y != -100
        c = cva.numpy()
        return {"step_acc": float((p[m] == y[m]).mean()),
                "carry_acc": float((p[c] == y[c]).mean())}

    args = TrainingArguments(str(out / "helmlog"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=15, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=24, per_device_eval_batch_size=300,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=HelmLogs(itr, ltr),
                      eval_dataset=HelmLogs(iva, lva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "helmlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": lva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Seed-OSS decoder tagging a wheelhouse log's swing (steady / port /"
                " starboard) step by step from the helm orders, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
