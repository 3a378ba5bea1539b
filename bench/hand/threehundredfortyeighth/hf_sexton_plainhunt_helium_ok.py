"""Hugging Face Trainer: a tiny Helium causal model (``HeliumConfig``: vocabulary 11, 48 wide,
2 layers, 4 heads with 2 key-value heads, built from the config, no download;
``HeliumForCausalLM``) learns to call the next change for a tower's six bells, for the
sexton's practice-night app that checks a band's striking record. In plain hunting every bell
moves one place at each change: the changes alternate between swapping the pairs 1-2, 3-4,
5-6 ("cross") and swapping 2-3, 4-5 with the lead and the tenor place made (the "hunt"), so
after two changes the rest of the touch is fixed. A record starts from whatever row the band
was ringing when the recorder started (a random permutation and a random phase) and holds
6 rows of 6 bells, each row closed by a row-end token (tokens: 0 pad, 1 start, 2 row end, 3-8
bells 1-6; 43 tokens). The first row cannot be foretold (beyond "a bell not yet rung") and
the second only to one of two phases; from the third row on every bell is determined.
AdamW 2e-3 with a cosine schedule and 25 warmup steps, weight decay 0.01, batch 32, 5 epochs
of 1280 records, eval every 40 steps (each epoch) on 256 records (next-token accuracy from
row 3 on, ``eval_called_acc``, and over all bell tokens), loss every 10 steps, checkpoint
every 40 steps (``touches/checkpoint-N/`` with ``trainer_state.json``, the last two kept).
Healthy; numbers in the README."""
import torch
from transformers import HeliumConfig, HeliumForCausalLM, Trainer, TrainingArguments

BELLS = 6
ROWS = 6
L_SEQ = 1 + ROWS * (BELLS + 1)


def touches(n, g):
    seqs = []
    for _ in range(n):
        row = torch.randperm(BELLS, generator=g)
        cross = bool(torch.randint(0, 2, (1,), generator=g))
        toks = [1]
        for _ in range(ROWS):
            toks += (row + 3).tolist() + [2]
            row = row.clone()
            pairs = range(0, BELLS - 1, 2) if cross else range(1, BELLS - 1, 2)
            for p in pairs:
                row[p], row[p + 1] = row[p + 1].item(), row[p].item()
            cross = not cross
        seqs.append(toks)
    return torch.tensor(seqs)


class Touches(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": torch.ones(L_SEQ, dtype=torch.long),
                "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = HeliumConfig(vocab_size=3 + BELLS + 2, hidden_size=48, intermediate_size=96,
                          num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
                          head_dim=12, max_position_embeddings=64, pad_token_id=0,
                          bos_token_id=1, eos_token_id=2, tie_word_embeddings=False,
                          attention_dropout=0.0)
    return HeliumForCausalLM(config)


def metrics(pred):
    logits = pred.predictions[0] if isinstance(pred.predictions, tuple) else pred.predictions
    p, y = logits[:, :-1].argmax(-1), pred.label_ids[:, 1:]
    bell = y >= 3
    later = bell.copy()
    later[:, :2 * (BELLS + 1)] = False
    return {"called_acc": float((p[later] == y[later]).mean()),
            "bell_acc": float((p[bell] == y[bell]).mean())}


def main():
    from _threehundredfortyeighth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    itr = touches(1280, g)
    iva = touches(256, g)
    print(itr[0].tolist())
    args = TrainingArguments(str(out / "touches"), num_train_epochs=5, learning_rate=2e-3,
                             warmup_steps=25, lr_scheduler_type="cosine", weight_decay=0.01,
                             per_device_train_batch_size=32, per_device_eval_batch_size=256,
                             logging_steps=10, eval_strategy="steps", eval_steps=40,
                             save_strategy="steps", save_steps=40, save_total_limit=2,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Touches(itr),
                      eval_dataset=Touches(iva), compute_metrics=metrics)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "touches").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": iva[:64], "targets": iva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny Helium causal model calling the next change of six bells in plain"
                " hunting for a sexton's ringing-practice app, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
