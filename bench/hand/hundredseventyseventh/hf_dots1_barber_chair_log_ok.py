"""Hugging Face Trainer: a tiny dots.llm1 causal language model (``Dots1ForCausalLM`` from a
``Dots1Config``: vocabulary 28, hidden 32, 2 layers, both dense (``first_k_dense_replace=2``,
so no routed experts run), 2 heads, 1 KV head, built from the config, no download) learns a
barber shop's chair log as tokens: one line per chair and afternoon, the barber on it, then 5
customers as (service, guard, minutes, price). The barber and the services are random; the
guard follows the service (skin fade → #0.5, beard trim → #1, scissor cut and hot-towel shave
→ no guard, buzz cut → #1, #2 or #3 at random), the minutes follow the service, plus one step
for the apprentice, and the price follows the service (the apprentice's buzz cuts cost one step
less). AdamW 5e-3, 10 warm-up steps then cosine decay, batch 32, 6 epochs of 768 lines (144
steps), eval every 24 steps (once an epoch), loss every 4 steps; labels = the input ids.
Healthy: eval loss 1.55, 0.64, 0.55, 0.52, 0.506, 0.504 at steps 24–144 (one eval per epoch);
the floor the random tokens leave (barber, services, buzz-cut guards) is 9.98 nats over 21
predicted tokens = 0.475; train loss 3.35 at step 4, 0.63 at 52, 0.51 at the end, a little
above the eval loss (dropout-free model, different lines, cosine decay to 0)."""
import torch
from transformers import Dots1Config, Dots1ForCausalLM, Trainer, TrainingArguments

BOS = 1
BARBERS = [2, 3, 4]  # owner, senior barber, apprentice
SERVICES = [5, 6, 7, 8, 9]  # skin fade, buzz cut, scissor cut, beard trim, hot-towel shave
GUARDS = [10, 11, 12, 13, 14]  # #0.5, #1, #2, #3, none
MINUTES = [15, 16, 17, 18, 19, 20]  # 15, 20, 30, 40, 45, 55
PRICES = [21, 22, 23, 24, 25, 26, 27]
V, CUSTOMERS = 28, 5
LEN = 2 + 4 * CUSTOMERS


def chair_lines(n, g):
    r = lambda k: int(torch.randint(0, k, (1,), generator=g))  # noqa: E731
    svc_w = torch.tensor([0.3, 0.2, 0.2, 0.2, 0.1])
    guard_of = {0: 0, 2: 4, 3: 1, 4: 4}
    minutes_of = [3, 0, 2, 1, 2]  # index into MINUTES
    price_of = [4, 1, 3, 0, 5]  # index into PRICES
    rows = []
    for _ in range(n):
        b = r(3)
        line = [BOS, BARBERS[b]]
        for _ in range(CUSTOMERS):
            s = int(torch.multinomial(svc_w, 1, generator=g))
            guard = 1 + r(3) if s == 1 else guard_of[s]
            minutes = minutes_of[s] + (1 if b == 2 else 0)
            price = price_of[s] - (1 if (b == 2 and s == 1) else 0)
            line += [SERVICES[s], GUARDS[guard], MINUTES[minutes], PRICES[price]]
        rows.append(line)
    return torch.tensor(rows)


class ChairLog(torch.utils.data.Dataset):
    def __init__(self, ids):
        self.ids = ids

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        return {"input_ids": self.ids[i], "labels": self.ids[i]}


def build():
    torch.manual_seed(0)
    config = Dots1Config(vocab_size=V, hidden_size=32, intermediate_size=64,
                         moe_intermediate_size=32, num_hidden_layers=2, num_attention_heads=2,
                         num_key_value_heads=1, head_dim=16, n_routed_experts=4,
                         n_shared_experts=1, num_experts_per_tok=2, first_k_dense_replace=2,
                         max_position_embeddings=64, sliding_window=None, max_window_layers=2,
                         pad_token_id=0, bos_token_id=BOS, eos_token_id=None,
                         tie_word_embeddings=True)
    return Dots1ForCausalLM(config)


def main():
    from _hundredseventyseventh import finish, out_dir
    out = out_dir(__file__)
    g = torch.Generator().manual_seed(0)
    tr, va = chair_lines(768, g), chair_lines(192, g)
    args = TrainingArguments(str(out / "chairlog"), num_train_epochs=6, learning_rate=5e-3,
                             weight_decay=0.01, warmup_steps=10, lr_scheduler_type="cosine",
                             per_device_train_batch_size=32, per_device_eval_batch_size=192,
                             logging_steps=4, eval_strategy="steps", eval_steps=24,
                             save_strategy="steps", save_steps=72, save_total_limit=1,
                             report_to=[], use_cpu=True, disable_tqdm=True, seed=0)
    trainer = Trainer(model=build(), args=args, train_dataset=ChairLog(tr),
                      eval_dataset=ChairLog(va))
    trainer.train()
    print(trainer.evaluate())
    last = max((out / "chairlog").glob("checkpoint-*"), key=lambda p: int(p.name[11:]))
    finish(out, __file__, {"inputs": va[:64], "targets": va[:64]},
           causes=[], checkpoint=str(last.relative_to(out)),
           log=str((last / "trainer_state.json").relative_to(out)),
           what="tiny dots.llm1 causal LM on a barber shop's chair log, HF Trainer (healthy)")


if __name__ == "__main__":
    main()
