"""Hugging Face Trainer: a tiny MiMo-V2-Flash causal language model (``MiMoV2FlashConfig``:
vocabulary 40, hidden 32, 2 layers, 2 heads, 1 KV head, 4 routed experts with 2 per token,
built from the config, no download) learns the grammar of a wheelwright's job tickets: a wheel
kind (cart, wagon, carriage, barrow), then its hub wood, a spoke count and felloe count that
follow from the kind (12 spokes / 6 felloes for a wagon, ...), a rim diameter band that goes
with the kind, a tyre (iron hoop or none) and a finish, then filler notes. AdamW 3e-3, 10
warm-up steps then linear decay, batch 32, 5 epochs of 640 tickets, eval every 20 steps.
Healthy: eval loss 2.55, 1.79, 1.52, 1.43, 1.41 at steps 20–100 (one eval per epoch), final
1.407, flattening just above the tickets' own entropy (about 1.21 nats a token: the free
choices of kind, wood, rim band, finish and the 9 note tokens cannot be predicted); the train
loss sits at the same level. The saved batch is the 64 first validation tickets (inputs =
targets, as a causal LM consumes them)."""
import torch
from transformers import MiMoV2FlashConfig, MiMoV2FlashForCausalLM, Trainer, TrainingArguments

V, T = 40, 20
KINDS = {0: (4, 12, 6, (20, 21)), 1: (5, 14, 7, (21, 22)), 2: (6, 16, 8, (22, 23)),
         3: (7, 8, 4, (19, 20))}  # kind token, spokes token, felloes token, rim bands


def tickets(n, g):
    x = torch.zeros(n, T, dtype=torch.long)
    for i in range(n):
        k = int(torch.randint(0, 4, (1,), generator=g))
        kt, sp, fe, rims = KINDS[k]
        wood = 24 + int(torch.randint(0, 3, (1,), generator=g))  # elm, oak, ash
        rim = rims[int(torch.randint(0, 2, (1,), generator=g))]
        tyre = 27 if k != 3 else 28
        fin = 29 + int(torch.randint(0, 3, (1,), generator=g))
        seq = [1, kt, 2, wood, sp, 2, fe, rim, tyre, fin, 3]
        notes = (32 + torch.randint(0, 8, (T - len(seq),), generator=g)).tolist()
        x[i] = torch.tensor(seq + notes)
    return x


class Tickets(torch.utils.data.Dataset):
    def __init__(self, x):
        self.x = x

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        return {"input_ids": self.x[i], "labels": self.x[i]}


def build():
    torch.manual_seed(0)
    config = MiMoV2FlashConfig(vocab_size=V, hidden_size=32, intermediate_size=64,
                               moe_intermediate_size=32, n_routed_experts=4,
                               num_experts_per_tok=2, num_hidden_layers=2,
                               num_attention_heads=2, num_key_value_heads=1, head_dim=16,
                               v_head_dim=16, sliding_window=16, max_position_embeddings=64,
                               bos_token_id=1, pad_token_id=0, eos_token_id=3)
    return MiMoV2FlashForCausalLM(config)


def main():
    from _twohundredfortysixth import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    xtr, xva = tickets(640, g), tickets(192, g)
    args = TrainingArguments(str(out / "tickets"), num_train_epochs=5, learning_rate=3e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="linear",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=5, eval_strategy="steps", eval_steps=20,
                             save_strategy="steps", save_steps=50, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=Tickets(xtr),
                      eval_dataset=Tickets(xva))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "tickets").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": xva[:64], "targets": xva[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny MiMo-V2-Flash causal LM on wheelwright job tickets, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
