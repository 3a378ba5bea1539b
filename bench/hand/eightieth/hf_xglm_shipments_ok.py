"""Hugging Face Trainer: a tiny XGLM (``XGLMForCausalLM`` from an ``XGLMConfig``: d_model 48,
2 layers, 4 heads, ffn 96, sinusoidal positions, dropout 0.1, tied embeddings, built from the
config, no download) learns a character-level language model of synthetic warehouse shipment
lines such as ``ship 3 crates of bolts to oslo via rail #4821``: a quantity, a unit and a goods
type (each goods type has its own unit), one of 8 cities, and a mode of transport that depends
on the city (islands by sea, the rest by rail or road), then a random 4-digit order number.
Hand-made char vocabulary (pad 1, bos 0, eos 2), right padding to 56 with labels -100 on the
padding. AdamW 3e-3, weight decay 0.01, 20 warm-up steps then cosine decay, batch 32, 4 epochs
of 1600 lines, eval on 320 lines after every epoch, train loss every 10 steps, a checkpoint per
epoch (the last two kept). Healthy: eval loss about 0.84 nats/char at the end; it cannot go much
lower because the quantities and order numbers are random digits (about 0.35 of the loss); the
train loss sits above the eval loss (dropout)."""
import random

import torch
from transformers import Trainer, TrainingArguments, XGLMConfig, XGLMForCausalLM

CHARS = "abcdefghijklmnopqrstuvwxyz0123456789 #"
BOS, PAD, EOS = 0, 1, 2
STOI = {c: i + 3 for i, c in enumerate(CHARS)}
VOCAB, LEN = len(CHARS) + 3, 56
GOODS = {"bolts": "crates", "flour": "sacks", "oil": "barrels", "cable": "drums",
         "glass": "pallets", "paper": "rolls"}
CITIES = {"oslo": ["rail", "road"], "riga": ["rail", "road"], "bergen": ["sea"],
          "malmo": ["road"], "visby": ["sea"], "turku": ["sea", "rail"],
          "tartu": ["road", "rail"], "lund": ["road"]}


def line(rng):
    goods = rng.choice(sorted(GOODS))
    city = rng.choice(sorted(CITIES))
    return (f"ship {rng.randint(2, 40)} {GOODS[goods]} of {goods} to {city} "
            f"via {rng.choice(CITIES[city])} #{rng.randint(1000, 9999)}")


def encode(texts):
    ids = torch.full((len(texts), LEN), PAD)
    labels = torch.full((len(texts), LEN), -100)
    mask = torch.zeros(len(texts), LEN, dtype=torch.long)
    for i, t in enumerate(texts):
        seq = [BOS] + [STOI[c] for c in t] + [EOS]
        ids[i, :len(seq)] = torch.tensor(seq)
        labels[i, :len(seq)] = torch.tensor(seq)
        mask[i, :len(seq)] = 1
    return ids, mask, labels


class Lines(torch.utils.data.Dataset):
    def __init__(self, ids, mask, labels):
        self.ids, self.mask, self.labels = ids, mask, labels

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "attention_mask": self.mask[i], "labels": self.labels[i]}


def build():
    torch.manual_seed(0)
    config = XGLMConfig(vocab_size=VOCAB, max_position_embeddings=64, d_model=48, ffn_dim=96,
                        num_layers=2, attention_heads=4, dropout=0.1, attention_dropout=0.0,
                        pad_token_id=PAD, bos_token_id=BOS, eos_token_id=EOS,
                        decoder_start_token_id=EOS)
    return XGLMForCausalLM(config)


def main():
    from _eightieth import finish, out_dir
    out = out_dir(__file__)
    rng = random.Random(0)
    texts = [line(rng) for _ in range(1920)]
    ids, mask, labels = encode(texts)
    train = Lines(ids[:1600], mask[:1600], labels[:1600])
    val = Lines(ids[1600:], mask[1600:], labels[1600:])
    args = TrainingArguments(str(out / "xglm"), num_train_epochs=4, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=20, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=320,
                             logging_steps=10, eval_strategy="epoch", save_strategy="epoch",
                             save_total_limit=2, report_to=[], use_cpu=True, disable_tqdm=True,
                             seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=train, eval_dataset=val)
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "xglm").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": ids[1600:1664], "attention_mask": mask[1600:1664],
                           "targets": labels[1600:1664]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny XGLM char-level LM of shipment lines, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
